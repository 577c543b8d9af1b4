"""Support actions on an account's ATEN activation codes: invalidate them all, or regenerate one.

A representative who does not want the online services asks the school to invalidate his
code [000 §3]; a lost or disclosed letter gets a new code, printed at once (the clear code
exists only in that PDF). Both go through the admin's scoped account lookup (``support.urls``).
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import FileResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cas_educonnect.accounts import codes
from cas_educonnect.models import Account, AccountState
from cas_educonnect.staff.admin.portal import portal_url
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.letters import render_letters
from cas_educonnect.staff.models import AuditAction
from cas_educonnect.staff.notify import printable
from cas_educonnect.staff.scoping import account_schools_for


def _back(model_admin, account: Account) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse(f"{model_admin.admin_site.name}:cas_educonnect_account_change", args=[account.pk])
    )


def _school_and_pupil(request, account: Account):
    """The account's first school among the user's, and its pupil there (the code's pair)."""
    school = account_schools_for(request.user, account).order_by("pk").first()
    pupil = account.pupils.filter(establishment=school).first() or account.pupils.first()
    if pupil is None:
        for person in account.representatives.all():
            pupil = person.pupils.filter(establishment=school, links__closed_at__isnull=True).first()
            if pupil is not None:
                break
    return school, pupil


def context(account: Account) -> dict:
    """What the support block shows: whether codes apply, and how many are live (never their value)."""
    return {
        "codes_on": codes.codes_enabled() and account.state == AccountState.NOTIFIED and not account.password,
        "live_codes": codes.live_codes(account).count(),
    }


def invalidate(model_admin, request, account: Account):
    """Delete every activation code of the account (the holder refuses, or a letter went astray)."""
    count = codes.invalidate(account)
    school, _pupil = _school_and_pupil(request, account)
    record(request.user, AuditAction.CODES_INVALIDATED, school, [account], detail=f"{count} code(s)")
    messages.success(request, _("The activation codes of this account are invalidated."))
    return _back(model_admin, account)


def regenerate(model_admin, request, account: Account):
    """Invalidate the codes, then stream the account's letter with a new one (rendered in memory)."""
    school, pupil = _school_and_pupil(request, account)
    if pupil is None or not codes.codes_enabled(pupil.establishment) or account.state != AccountState.NOTIFIED:
        messages.error(request, _("No activation code can be issued for this account."))
        return _back(model_admin, account)
    codes.invalidate(account)
    letters = printable([(account.pk, pupil.pk)])  # issues the new code
    if not letters or not letters[0].activation_code:
        messages.error(request, _("No activation code can be issued for this account."))
        return _back(model_admin, account)
    buffer = io.BytesIO()
    render_letters(school, letters, buffer, portal_url(request))
    record(request.user, AuditAction.CODES_REGENERATED, school, [account])
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename=f"courrier-{account.identifier}.pdf", content_type="application/pdf"
    )
