"""Support actions on one account (renotify, letter, activation email, new account,
simulate access: ``simulation``, reports). Every view resolves the account through the admin's scoped
queryset: an account of another school is "not found", for reading and for writing.
"""

from __future__ import annotations

import io

from django import forms
from django.apps import apps
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cas_educonnect.accounts import lifecycle
from cas_educonnect.accounts.identifiers import allocate_identifier
from cas_educonnect.models import Account, AccountKind, AccountReport, AccountState
from cas_educonnect.models.accounts import NotificationMode
from cas_educonnect.routes.aten.views.activation import send_email_link
from cas_educonnect.staff import refusals
from cas_educonnect.staff.admin import codes, simulation
from cas_educonnect.staff.admin.portal import portal_url
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.letters import LetterModel, render_letters
from cas_educonnect.staff.models import AuditAction
from cas_educonnect.staff.notify import notify_account, printable
from cas_educonnect.staff.scoping import account_schools_for, reports_for


class ResendActivationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))


def urls(model_admin) -> list:
    site = model_admin.admin_site

    def wrap(view, post_only=False):
        def inner(request, object_id, *args, **kwargs):
            if post_only and request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            account = model_admin.get_object(request, object_id)
            if account is None or not model_admin.has_view_permission(request, account):
                raise Http404(_("No such account in your schools."))
            return view(model_admin, request, account, *args, **kwargs)

        return site.admin_view(inner)

    return [
        path("<path:object_id>/renotify/", wrap(renotify, True), name="educonnect_account_renotify"),
        path("<path:object_id>/letter/", wrap(letter), name="educonnect_account_letter"),
        path("<path:object_id>/activation/", wrap(resend_activation, True), name="educonnect_account_activation"),
        path("<path:object_id>/new/", wrap(new_account, True), name="educonnect_account_new"),
        path("<path:object_id>/codes/invalidate/", wrap(codes.invalidate, True), name="educonnect_account_codes_off"),
        path("<path:object_id>/codes/regenerate/", wrap(codes.regenerate, True), name="educonnect_account_codes_new"),
        path("<path:object_id>/simulate/", wrap(simulation.simulate), name="educonnect_account_simulate"),
        path("<path:object_id>/franceconnect/", wrap(unlink_franceconnect), name="educonnect_account_fc_unlink"),
        path("<path:object_id>/reports/<int:report_id>/", wrap(handle_report, True), name="educonnect_account_report"),
        path("<path:object_id>/refusal/", wrap(refusal, True), name="educonnect_account_refusal"),
    ]


def _back(model_admin, account):
    return HttpResponseRedirect(
        reverse(f"{model_admin.admin_site.name}:cas_educonnect_account_change", args=[account.pk])
    )


def _school(request, account):
    """The account's first school among the user's: letters and audit entries are that school's."""
    return account_schools_for(request.user, account).order_by("pk").first()


def context(model_admin, request, account: Account) -> dict:
    return {
        "educonnect_account": account,
        "can_simulate": account.state == AccountState.ACTIVE,
        "is_representative": account.kind == AccountKind.REPRESENTATIVE,
        "can_resend_activation": account.kind == AccountKind.REPRESENTATIVE
        and account.state == AccountState.ACTIVATING,
        "is_open": account.state != AccountState.CLOSED,
        "reports": reports_for(request.user, account),
        "modes": NotificationMode.choices,
        "franceconnect_linked": _franceconnect_links(account).exists(),
        "access_lines": refusals.access_lines(request.user, account),
        **codes.context(account),
        "emails": sorted({e for e in [account.email, *(r.email for r in account.representatives.all())] if e}),
    }


def _franceconnect_links(account: Account):
    """The account's FranceConnect links, or an empty queryset when the app is not installed."""
    if not apps.is_installed("cas_educonnect.routes.franceconnect"):
        return Account.objects.none()
    return apps.get_model("educonnect_franceconnect", "FranceConnectLink").objects.filter(account=account)


def unlink_franceconnect(model_admin, request, account: Account):
    """Remove the FranceConnect link: the next FranceConnect login starts the first-link flow again.

    The owner cannot undo it (he links again with an SMS code), so a GET, or a POST without
    ``confirm``, shows the confirmation page; only its form unlinks.
    """
    if not _franceconnect_links(account).exists():
        messages.error(request, _("This account is not linked to FranceConnect."))
        return _back(model_admin, account)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        context = {
            **model_admin.admin_site.each_context(request),
            "title": _("Unlink FranceConnect"),
            "account": account,
        }
        return TemplateResponse(request, "cas_educonnect/admin/confirm_unlink.html", context)
    from cas_educonnect.routes.franceconnect.linking import unlink

    unlink(account, by=f"staff:{request.user.get_username()}")
    record(request.user, AuditAction.FRANCECONNECT_UNLINKED, _school(request, account), [account])
    messages.success(request, _("FranceConnect is unlinked from this account."))
    return _back(model_admin, account)


def renotify(model_admin, request, account: Account):
    """Renotify and reset the provisional password (paper letter, or email for a representative)."""
    if account.state == AccountState.CLOSED:
        messages.error(request, _("A closed account cannot be notified."))
        return _back(model_admin, account)
    mode = request.POST.get("mode", NotificationMode.PAPER)
    if mode not in NotificationMode.values or account.kind == AccountKind.PUPIL:
        mode = NotificationMode.PAPER
    school = _school(request, account)
    pupil = account.pupils.first() or (
        account.representatives.first().pupils.filter(establishment=school).first()
        if account.representatives.exists()
        else None
    )
    outcome = notify_account(account, pupil, mode, LetterModel(school, portal_url(request)), reset=True)
    record(request.user, AuditAction.RENOTIFY, school, [account], detail=str(NotificationMode(mode).label))
    if not outcome.notified:
        messages.error(request, _("The account could not be notified: %s") % "; ".join(outcome.reasons))
    else:
        for reason in outcome.reasons:
            messages.warning(request, reason)
        messages.success(request, _("New provisional password issued. Print the letter if needed."))
    return _back(model_admin, account)


def letter(model_admin, request, account: Account):
    """The account's letter, rendered now in memory and streamed (never written to disk)."""
    if account.state == AccountState.CLOSED:
        raise Http404(_("A closed account has no letter."))
    school = _school(request, account)
    pupil = account.pupils.first()
    if pupil is None and account.representatives.exists():
        pupil = account.representatives.first().pupils.filter(establishment=school).first()
    buffer = io.BytesIO()
    render_letters(school, printable([(account.pk, pupil.pk if pupil else None)]), buffer, portal_url(request))
    record(request.user, AuditAction.LETTERS_DOWNLOADED, school, [account])
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename=f"courrier-{account.identifier}.pdf", content_type="application/pdf"
    )


def resend_activation(model_admin, request, account: Account):
    """Correct the address of an account in activation and send it the ATEN validation link again.

    The owner already chose his password at first login: only the link to the (corrected)
    address is missing, and using it ends the activation. An account in activation with no
    chosen password (imported in that state) gets a new provisional password instead.
    """
    form = ResendActivationForm(request.POST)
    if account.kind != AccountKind.REPRESENTATIVE or account.state != AccountState.ACTIVATING:
        messages.error(request, _("Only a representative's account in activation can receive this email."))
        return _back(model_admin, account)
    if not form.is_valid():
        messages.error(request, _("Enter a valid email address."))
        return _back(model_admin, account)
    address = form.cleaned_data["email"]
    school = _school(request, account)
    if account.password:
        sent = _resend_link(request, account, address)
        reasons = [] if sent else [_("the mail server refused the message")]
        detail = _("validation link sent again, address corrected")
    else:
        sent, reasons = _resend_provisional(request, account, address, school)
        detail = _("new provisional password, address corrected")
    if sent:
        record(request.user, AuditAction.RESEND_ACTIVATION, school, [account], detail=detail)
        messages.success(request, _("The activation email was sent to %s.") % address)
    else:
        messages.error(request, _("The email could not be sent: %s") % "; ".join(reasons))
    return _back(model_admin, account)


def _resend_link(request, account: Account, address: str) -> bool:
    """Pending address := ``address``, then email its validation link (issue 5's token); all or nothing."""
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        account.pending_email = address
        account.save(update_fields=["pending_email", "updated_at"])
        sent = send_email_link(request, account)
        if not sent:
            transaction.set_rollback(True)
    return sent


def _resend_provisional(request, account: Account, address: str, school) -> tuple[bool, list[str]]:
    with transaction.atomic():
        Account.objects.filter(pk=account.pk).update(email=address, email_validated=False)
        account.refresh_from_db()
        pupil = account.representatives.first().pupils.filter(establishment=school).first()
        outcome = notify_account(
            account,
            pupil,
            NotificationMode.EMAIL,
            LetterModel(school, portal_url(request)),
            reset=True,
            address=address,
        )
        if not outcome.notified:
            transaction.set_rollback(True)
    return outcome.notified, outcome.reasons


def new_account(model_admin, request, account: Account):
    """A new account with a normalized identifier and provisional password (004 §3.2).

    The new account takes the persons of the account that belong to the staff member's school
    (a pupil account: its pupil; a representative: his records linked to a pupil of the school).
    The old account is closed unless other records, hence other children, are still attached
    to it (a grouped account): it then stays open for them, with its identifier and password.
    """
    if account.state == AccountState.CLOSED:
        messages.error(request, _("This account is already closed."))
        return _back(model_admin, account)
    person = account.pupils.first() or account.representatives.first()
    if person is None:
        messages.error(request, _("This account is linked to nobody in the directory."))
        return _back(model_admin, account)
    school = _school(request, account)
    with transaction.atomic():
        moved = list(account.representatives.filter(links__pupil__establishment=school, links__closed_at__isnull=True))
        moved = list({r.pk: r for r in moved}.values()) or list(account.representatives.all())
        kept = account.representatives.exclude(pk__in=[r.pk for r in moved])
        person = account.pupils.first() or moved[0]
        fresh = Account.objects.create(
            identifier=allocate_identifier(person.first_name, person.last_name),
            kind=account.kind,
            email=account.email if account.email_validated else "",
        )
        fresh.pupils.set(account.pupils.all())
        fresh.representatives.set(moved)
        if account.kind == AccountKind.REPRESENTATIVE and kept.exists():
            account.representatives.remove(*moved)
            detail = _("%(new)s created for this school, %(old)s kept for its other children")
            message = _("New account %(new)s created; %(old)s stays open for the other children attached to it.")
        else:
            lifecycle.close(account)
            detail = _("%(old)s closed, %(new)s created")
            message = _("New account %(new)s created; %(old)s is closed.")
        pupil = fresh.pupils.first() or person.pupils.filter(establishment=school).first()
        notify_account(fresh, pupil, NotificationMode.PAPER, LetterModel(school, portal_url(request)), reset=True)
        names = {"new": fresh.identifier, "old": account.identifier}
        record(request.user, AuditAction.NEW_ACCOUNT, school, [account, fresh], detail=detail % names)
    messages.success(request, message % {"new": fresh.identifier, "old": account.identifier})
    return HttpResponseRedirect(
        reverse(f"{model_admin.admin_site.name}:cas_educonnect_account_change", args=[fresh.pk])
    )


def handle_report(model_admin, request, account: Account, report_id: int):
    report = AccountReport.objects.filter(pk=report_id, account=account, handled_at__isnull=True).first()
    if report is None:
        raise Http404(_("No such report."))
    report.handled_at = timezone.now()
    report.save(update_fields=["handled_at"])
    record(
        request.user, AuditAction.REPORT_HANDLED, _school(request, account), [account], detail=report.get_kind_display()
    )
    messages.success(request, _("The report is marked as handled."))
    return _back(model_admin, account)


def refusal(model_admin, request, account: Account):
    """Record (``refused=1``) or withdraw (``0``) a refusal of the online services (002 §1.2)."""
    refused = request.POST.get("refused") == "1"
    line = refusals.set_refusal(request.user, account, request.POST.get("person", ""), refused)
    if line is None:
        raise Http404(_("No such person on this account in your schools."))
    if refused:
        messages.success(request, _("Refusal recorded: %(person)s.") % {"person": line.label})
    else:
        messages.success(request, _("Access to the online services restored: %(person)s.") % {"person": line.label})
    return _back(model_admin, account)
