"""Per-account support: search, state dots, renotify, letter, activation email, new account,
simulate access, reports."""

from __future__ import annotations

import pytest
from cas_server.models import ReplaceAttributName, ServicePattern
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from cas_educonnect.accounts.passwords import decrypt_provisional_password
from cas_educonnect.attributes.service import service_release
from cas_educonnect.models import Account, AccountState, ServiceCategory, ServiceProfile
from cas_educonnect.staff.models import AuditAction, AuditLog, SchoolServiceSetting

from .conftest import verified_client
from .helpers import pdf_pages

CHANGELIST = "/admin/cas_educonnect/account/"


def fresh(account) -> Account:
    return Account.objects.get(pk=account.pk)


@pytest.mark.django_db
def test_search_by_initials_state_and_division_with_coloured_dots(client, school_a, head_a):
    verified_client(client, head_a)
    response = client.get(CHANGELIST, {"initials": "Alphamark1", "state": "notified"})
    shown = {a.identifier for a in response.context["cl"].result_list}
    # Division B pupils are Alphamark10/11; their notified accounts: pupil 11 and representative 3 (activating: no).
    assert shown == {school_a.pupil_accounts[3].identifier}
    response = client.get(CHANGELIST, {"division": school_a.divisions[0].pk})
    shown = {a.identifier for a in response.context["cl"].result_list}
    assert shown == {a.identifier for a in school_a.pupil_accounts[:2] + school_a.rep_accounts[:2]}
    assert b"educonnect-state-not_notified" in response.content and b"#929292" in response.content


@pytest.mark.django_db
def test_renotify_resets_the_provisional_password_and_prints_the_letter(client, school_a, head_a):
    verified_client(client, head_a)
    account = school_a.pupil_accounts[1]
    response = client.post(reverse("admin:educonnect_account_renotify", args=[account.pk]))
    assert response.status_code == 302
    account_now = fresh(account)
    new = decrypt_provisional_password(account_now.provisional_password)
    assert account_now.state == AccountState.NOTIFIED and new and new != account.clear_provisional
    text = pdf_pages(client.get(reverse("admin:educonnect_account_letter", args=[account.pk])))[0]
    assert account.identifier in text and new in text
    actions = list(AuditLog.objects.values_list("action", flat=True))
    assert AuditAction.RENOTIFY in actions and AuditAction.LETTERS_DOWNLOADED in actions
    assert new not in str(list(AuditLog.objects.values("detail", "identifiers")))


@pytest.mark.django_db
def test_resend_activation_sends_the_validation_link_to_the_corrected_address(client, school_a, head_a, settings):
    """The owner chose his password at first login: the link to the corrected address ends the activation."""
    from django.contrib.auth.hashers import make_password

    from tests.aten.conftest import link_from_mail

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    account = school_a.rep_accounts[2]  # activation in progress
    Account.objects.filter(pk=account.pk).update(password=make_password("Choisi-2026"), pending_email="typo@exmple.org")
    url = reverse("admin:educonnect_account_activation", args=[account.pk])

    # The mail server is down: nothing changes, the staff member is told, nothing is audited.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    verified_client(client, head_a)
    client.post(url, {"email": "anne.fixed@example.org"})
    assert fresh(account).pending_email == "typo@exmple.org"
    assert not AuditLog.objects.filter(action=AuditAction.RESEND_ACTIVATION).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert client.post(url, {"email": "anne.fixed@example.org"}).status_code == 302
    account = fresh(account)
    assert (account.pending_email, account.state) == ("anne.fixed@example.org", AccountState.ACTIVATING)
    assert [m.to for m in mail.outbox] == [["anne.fixed@example.org"]]
    entry = AuditLog.objects.get(action=AuditAction.RESEND_ACTIVATION)
    assert account.identifier in str(entry.identifiers) and "lien de validation renvoyé" in entry.detail

    # The owner opens the link (any browser): the corrected address is validated, the account in use.
    link = link_from_mail(mail.outbox[0], "/cas/aten/email/")
    owner = client.__class__()
    assert owner.post(link).status_code == 200
    account = fresh(account)
    assert (account.email, account.email_validated, account.state) == (
        "anne.fixed@example.org",
        True,
        AccountState.ACTIVE,
    )


@pytest.mark.django_db
def test_resend_activation_without_chosen_password_sends_a_provisional_one(client, school_a, head_a):
    verified_client(client, head_a)
    account = school_a.rep_accounts[2]  # activation in progress, imported without a chosen password
    response = client.post(
        reverse("admin:educonnect_account_activation", args=[account.pk]), {"email": "anne.fixed@example.org"}
    )
    assert response.status_code == 302
    account = fresh(account)
    assert account.email == "anne.fixed@example.org" and not account.email_validated
    assert [m.to for m in mail.outbox] == [["anne.fixed@example.org"]]
    assert decrypt_provisional_password(account.provisional_password) in mail.outbox[0].body
    # Not for an account in another state.
    other = school_a.rep_accounts[0]
    client.post(reverse("admin:educonnect_account_activation", args=[other.pk]), {"email": "x@example.org"})
    assert fresh(other).email == "" and len(mail.outbox) == 1


@pytest.mark.django_db
def test_new_normalized_account_closes_the_old_one(client, school_a, head_a):
    verified_client(client, head_a)
    old = school_a.rep_accounts[3]
    response = client.post(reverse("admin:educonnect_account_new", args=[old.pk]))
    old = fresh(old)
    assert old.state == AccountState.CLOSED and old.closed_at
    new = Account.objects.exclude(pk=old.pk).get(representatives__in=old.representatives.all())
    assert response["Location"] == reverse("admin:cas_educonnect_account_change", args=[new.pk])
    assert new.identifier != old.identifier and new.identifier.startswith("anne.parentalphamark3")
    assert new.state == AccountState.NOTIFIED and decrypt_provisional_password(new.provisional_password)
    entry = AuditLog.objects.get(action=AuditAction.NEW_ACCOUNT)
    assert entry.identifiers == [old.identifier, new.identifier]


@pytest.mark.django_db
def test_simulate_access_shows_open_services_and_their_exact_attributes(client, school_a, head_a):
    verified_client(client, head_a)
    notes = ServicePattern.objects.create(name="Notes", pattern="^https://notes\\.example/", pos=1)
    ServiceProfile.objects.create(
        service_pattern=notes, category=ServiceCategory.FOLLOW_UP, url="https://notes.example/"
    )
    # The service releases two attributes: the page shows what it receives, not everything.
    ReplaceAttributName.objects.create(service_pattern=notes, name="FrEduVecteur")
    ReplaceAttributName.objects.create(service_pattern=notes, name="sn", replace="nom")
    closed = ServicePattern.objects.create(name="Fermé", pattern="^https://closed\\.example/", pos=2)
    SchoolServiceSetting.objects.create(establishment=school_a.establishment, service_pattern=notes, is_open=True)
    account = school_a.rep_accounts[3]  # in use
    before = Account.objects.filter(pk=account.pk).values().get()
    response = client.get(reverse("admin:educonnect_account_simulate", args=[account.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Notes" in content and closed.name not in content
    received, reason = service_release(account.identifier, "https://notes.example/")
    assert reason == "" and set(received) == {"FrEduVecteur", "nom"}
    for name, values in received.items():
        assert f"<code>{name}</code>" in content and all(escape(v) in content for v in values)
    assert "FrEduCtId" not in content and "ENTPersonJointure" not in content
    assert "<form" not in content.split('id="content-main"')[1]  # read-only page
    assert Account.objects.filter(pk=account.pk).values().get() == before
    assert AuditLog.objects.filter(action=AuditAction.SIMULATE, identifiers=[account.identifier]).exists()
    # Refused follow-up services disappear; only accounts in use can be simulated.
    school_a.pupils[3].services_refused = True
    school_a.pupils[3].save()
    assert "Notes" not in client.get(reverse("admin:educonnect_account_simulate", args=[account.pk])).content.decode()
    response = client.get(reverse("admin:educonnect_account_simulate", args=[school_a.rep_accounts[1].pk]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_report_not_legal_representative_is_shown_and_handled(client, school_a, head_a):
    verified_client(client, head_a)
    account = school_a.rep_accounts[3]
    report = account.reports.get()
    page = client.get(reverse("admin:cas_educonnect_account_change", args=[account.pk]))
    assert escape(report.get_kind_display()).encode() in page.content
    assert b'href="mailto:anne3@alphamark.example.org"' in page.content
    client.post(reverse("admin:educonnect_account_report", args=[account.pk, report.pk]))
    report.refresh_from_db()
    assert report.handled_at is not None


@pytest.mark.django_db
def test_unlink_franceconnect(client, school_a, head_a):
    from cas_educonnect.routes.franceconnect.models import FranceConnectLink

    verified_client(client, head_a)
    account = school_a.rep_accounts[3]
    FranceConnectLink.objects.create(account=account, sub="sub-123", given_name="Anne", family_name="PARENT")
    assert (
        b"fc_unlink"
        not in client.get(reverse("admin:cas_educonnect_account_change", args=[school_a.rep_accounts[0].pk])).content
    )
    assert b"/franceconnect/" in client.get(reverse("admin:cas_educonnect_account_change", args=[account.pk])).content
    # Irreversible for the owner: a GET or a first POST only asks for confirmation.
    url = reverse("admin:educonnect_account_fc_unlink", args=[account.pk])
    for first in (client.get, client.post):
        response = first(url)
        assert response.status_code == 200 and "Oui, délier FranceConnect" in response.content.decode()
        assert 'name="confirm" value="yes"' in response.content.decode()
        assert FranceConnectLink.objects.filter(account=account).exists()
    client.post(url, {"confirm": "yes"})
    assert not FranceConnectLink.objects.filter(account=account).exists()
    assert AuditLog.objects.filter(action=AuditAction.FRANCECONNECT_UNLINKED, identifiers=[account.identifier]).exists()


@pytest.mark.django_db
def test_new_account_keeps_the_old_one_open_while_another_child_is_attached_to_it(client, school_a, school_b, head_a):
    """004 §3.2: the old account is deactivated for this child, and deleted (closed) only if the
    representative has no other child attached to it: here a grouped account also covers his
    record of school B, whose child keeps the old identifier and password."""
    from cas_educonnect.models import Representative

    verified_client(client, head_a)
    old = school_a.rep_accounts[3]
    other_record = Representative.objects.get(pk=school_b.reps[3].pk)
    old.representatives.add(other_record)
    response = client.post(reverse("admin:educonnect_account_new", args=[old.pk]))
    assert response.status_code == 302
    old = fresh(old)
    assert old.state == AccountState.ACTIVE and old.closed_at is None
    assert list(old.representatives.all()) == [other_record]
    new = Account.objects.get(representatives=school_a.reps[3])
    assert new.pk != old.pk and new.state == AccountState.NOTIFIED
    assert not new.representatives.filter(pk=other_record.pk).exists()
    entry = AuditLog.objects.get(action=AuditAction.NEW_ACCOUNT)
    assert entry.identifiers == [old.identifier, new.identifier] and "conservé" in entry.detail
    # No other child: the second time, the account made for school A's child is closed.
    client.post(reverse("admin:educonnect_account_new", args=[new.pk]))
    assert fresh(new).state == AccountState.CLOSED
