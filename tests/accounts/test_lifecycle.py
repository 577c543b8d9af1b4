import datetime
import json
from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from cas_educonnect.accounts import lifecycle
from cas_educonnect.accounts.passwords import check_provisional_password
from cas_educonnect.models import Account, AccountKind, AccountState, NotificationMode, UsedIdentifier

S = AccountState
NOW = timezone.make_aware(datetime.datetime(2026, 9, 1, 8, 0))


@pytest.fixture
def fresh(account_factory):
    def make(kind=AccountKind.REPRESENTATIVE, **kwargs):
        account = account_factory(kind=kind, state=S.NOT_NOTIFIED, **kwargs)
        Account.objects.filter(pk=account.pk).update(provisional_password="")
        account.refresh_from_db()
        return account

    return make


def test_representative_full_cycle_records_every_date(fresh):
    account = fresh()
    clear = lifecycle.notify(account, NotificationMode.EMAIL, now=NOW)
    account.refresh_from_db()
    assert account.state == S.NOTIFIED and account.notified_at == NOW and account.notification_mode == "email"
    assert check_provisional_password(account.provisional_password, clear)

    later = NOW + datetime.timedelta(days=2)
    lifecycle.start_activation(account, "Chosen-pass-2026", "parent@example.org", now=later)
    account.refresh_from_db()
    assert account.state == S.ACTIVATING and account.activation_started_at == later
    assert account.provisional_password == "" and account.pending_email == "parent@example.org"
    assert check_password("Chosen-pass-2026", account.password)
    assert account.password.startswith("argon2")

    click = later + datetime.timedelta(hours=1)
    lifecycle.validate_email(account, now=click)
    account.refresh_from_db()
    assert account.state == S.ACTIVE and account.activated_at == click and account.email_validated_at == click
    assert account.email == "parent@example.org" and account.email_validated and not account.pending_email
    assert account.state_changed_at == click


def test_pupil_activates_at_once_and_renotify_only_reminds(fresh):
    account = fresh(kind=AccountKind.PUPIL)
    lifecycle.notify(account, now=NOW)
    lifecycle.activate(account, "Eleve-pass-2026", now=NOW)
    account.refresh_from_db()
    assert account.state == S.ACTIVE and account.provisional_password == ""
    assert lifecycle.notify(account, now=NOW) is None
    account.refresh_from_db()
    assert account.state == S.ACTIVE and check_password("Eleve-pass-2026", account.password)
    clear = lifecycle.notify(account, reset_password=True, now=NOW)
    account.refresh_from_db()
    assert account.state == S.NOTIFIED and account.password == ""
    assert check_provisional_password(account.provisional_password, clear)


def test_renotify_during_activation_restarts_it(fresh):
    account = fresh()
    lifecycle.notify(account, now=NOW)
    lifecycle.start_activation(account, "Chosen-pass-2026", "a@example.org", now=NOW)
    clear = lifecycle.notify(account, now=NOW)
    account.refresh_from_db()
    assert account.state == S.NOTIFIED and account.password == "" and account.activation_started_at is None
    assert check_provisional_password(account.provisional_password, clear)


@pytest.mark.parametrize(
    ("state", "transition"),
    [
        (S.NOT_NOTIFIED, lambda a: lifecycle.start_activation(a, "x" * 10, "a@example.org")),
        (S.ACTIVE, lambda a: lifecycle.start_activation(a, "x" * 10, "a@example.org")),
        (S.ACTIVE, lifecycle.purge),
        (S.NOT_NOTIFIED, lifecycle.purge),
        (S.CLOSED, lifecycle.close),
        (S.CLOSED, lifecycle.notify),
        (S.CLOSED, lambda a: lifecycle.activate(a, "x" * 10)),
    ],
)
def test_forbidden_transitions_change_nothing(account_factory, state, transition):
    account = account_factory(state=state)
    before = Account.objects.values().get(pk=account.pk)
    with pytest.raises(lifecycle.TransitionError):
        transition(account)
    assert Account.objects.values().get(pk=account.pk) == before


def test_refused_account_cannot_be_notified_nor_activated(fresh):
    account = fresh(refused=True)
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.notify(account)
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.activate(account, "x" * 10)


def test_close_destroys_credentials(fresh):
    account = fresh()
    lifecycle.notify(account, now=NOW)
    lifecycle.close(account, now=NOW)
    account.refresh_from_db()
    assert account.state == S.CLOSED and account.closed_at == NOW and not account.provisional_password


def _purge(*args):
    out = StringIO()
    call_command("educonnect_purge", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_purge_command_resets_late_activations_deletes_unused_and_is_idempotent(fresh, settings):
    settings.CAS_EDUCONNECT_PURGE_NOT_ACTIVATED_DAYS = 92
    settings.CAS_EDUCONNECT_PURGE_UNUSED_DAYS = 365
    late, recent, unused, used, never = (fresh() for _ in range(5))
    lifecycle.notify(late, now=NOW - datetime.timedelta(days=93))
    lifecycle.notify(recent, now=NOW - datetime.timedelta(days=10))
    lifecycle.notify(unused, now=NOW - datetime.timedelta(days=800))
    lifecycle.activate(unused, "x" * 10, now=NOW - datetime.timedelta(days=700))
    lifecycle.notify(used, now=NOW - datetime.timedelta(days=800))
    lifecycle.activate(used, "x" * 10, now=NOW - datetime.timedelta(days=700))
    lifecycle.record_use(used, now=NOW - datetime.timedelta(days=3))

    with freeze_time(NOW):
        _check_purges(late, recent, unused, used, never)


def _check_purges(late, recent, unused, used, never):
    dry = _purge("--dry-run")
    assert dry == {
        "dry_run": True,
        "reset": [late.identifier],
        "deleted": [unused.identifier],
        "route_logins_deleted": 0,
        "service_accesses_deleted": 0,
        "activation_codes_deleted": 0,
    }
    assert Account.objects.get(pk=late.pk).state == S.NOTIFIED

    assert _purge() == {**dry, "dry_run": False}
    late.refresh_from_db()
    assert late.state == S.NOT_NOTIFIED and late.provisional_password == "" and late.notified_at is None
    assert not Account.objects.filter(pk=unused.pk).exists()
    assert UsedIdentifier.objects.filter(identifier=unused.identifier).exists()
    assert {a.state for a in Account.objects.filter(pk__in=[recent.pk, used.pk, never.pk])} == {
        S.NOTIFIED,
        S.ACTIVE,
        S.NOT_NOTIFIED,
    }
    assert _purge() == {**dry, "dry_run": False, "reset": [], "deleted": []}


def test_activation_needs_a_password_unless_franceconnect_only(fresh):
    """*Active* without a password exists only as "FranceConnect only": an unusable password."""
    plain, linked = fresh(), fresh()
    lifecycle.notify(plain, now=NOW)
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.activate(plain, None, now=NOW)
    assert Account.objects.get(pk=plain.pk).state == S.NOTIFIED

    lifecycle.notify(linked, now=NOW)
    lifecycle.activate(linked, None, franceconnect_only=True, now=NOW)
    linked.refresh_from_db()
    assert linked.state == S.ACTIVE and linked.password and not linked.provisional_password
    assert not linked.has_usable_password() and not check_password("", linked.password)


def test_franceconnect_only_keeps_a_password_already_chosen(fresh):
    """A representative who chose a password at activation start keeps it when FranceConnect finishes."""
    account = fresh()
    lifecycle.notify(account, now=NOW)
    lifecycle.start_activation(account, "Chosen-Password-1", "p@ex.fr", now=NOW)
    lifecycle.activate(account, None, franceconnect_only=True, now=NOW)
    account.refresh_from_db()
    assert account.state == S.ACTIVE and account.has_usable_password()
    assert check_password("Chosen-Password-1", account.password)


def test_renotifying_a_notified_account_keeps_its_provisional_password(fresh):
    """004 §3.1 point 6: a reminder must not make the letters already sent useless."""
    account = fresh()
    first = lifecycle.notify(account, NotificationMode.PAPER, now=NOW)
    later = NOW + datetime.timedelta(days=20)
    again = lifecycle.notify(account, NotificationMode.EMAIL, now=later)
    account.refresh_from_db()
    assert again == first and check_provisional_password(account.provisional_password, first)
    assert account.notified_at == later and account.notification_mode == "email"
    # The staff's « Renotifier et réinitialiser le mot de passe » asks for a new one.
    reset = lifecycle.notify(account, reset_password=True, now=later)
    account.refresh_from_db()
    assert reset != first and check_provisional_password(account.provisional_password, reset)


def test_renotifying_a_notified_account_whose_password_is_unreadable_issues_a_new_one(fresh):
    """A token the current keys cannot decrypt (keys rotated away) gives a fresh password, never None."""
    account = fresh()
    lifecycle.notify(account, now=NOW)
    Account.objects.filter(pk=account.pk).update(provisional_password="not-a-fernet-token")
    account.refresh_from_db()
    clear = lifecycle.notify(account, now=NOW)
    account.refresh_from_db()
    assert clear and check_provisional_password(account.provisional_password, clear)
