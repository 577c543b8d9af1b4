"""« Écrire à plusieurs responsables » (004 §3.1 point 7): one email to the representatives
ticked in the notification list, sent as **one separate message to each** address, never one
message with every address in To or Cc (that would hand each parent the others' addresses).

Step 1 (POST of the ticked rows, no subject yet): the message form, listing who will receive
it and who cannot (no address, badly formatted one). Step 2 (POST with subject and message):
sent over one connection, audit-logged without the text.
"""

from __future__ import annotations

import logging
import smtplib

from django import forms
from django.contrib import messages
from django.core import mail
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cas_educonnect.models import Account, Representative
from cas_educonnect.staff.admin.notification import checked_pairs, is_valid_email
from cas_educonnect.staff.admin.pages import base_context, school_from
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.models import AuditAction, NotificationAudience, SchoolSettings
from cas_educonnect.staff.notify import email_address

logger = logging.getLogger(__name__)


class WriteForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    message = forms.CharField(label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 10}))


def recipients(school, raw_pairs: list[str]) -> tuple[list[tuple[Account, str]], list[str], list[str]]:
    """(account, address) to write to, once per address; names without an address; bad addresses."""
    pairs = checked_pairs(school, NotificationAudience.REPRESENTATIVES, raw_pairs)
    accounts = Account.objects.in_bulk([a for a, _p in pairs])
    good, missing, bad, seen = [], [], [], set()
    for account_id, pupil_id in pairs:
        account = accounts[account_id]
        # The representative of this row: the account's record linked to the row's pupil.
        rep = Representative.objects.filter(accounts=account, links__pupil_id=pupil_id).first()
        address = email_address(account, rep)
        if not address:
            missing.append(str(rep or account))
        elif not is_valid_email(address):
            bad.append(address)
        elif address.lower() not in seen:
            seen.add(address.lower())
            good.append((account, address))
    return good, missing, bad


def write(site, request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    school, _schools = school_from(request)
    raw = request.POST.getlist("pair")
    notify_url = reverse(f"{site.name}:educonnect_notify")
    if school is None:
        messages.error(request, _("Choose a school."))
        return HttpResponseRedirect(notify_url)
    good, missing, bad = recipients(school, raw)
    form = WriteForm(request.POST if "subject" in request.POST else None)
    if not form.is_bound or not form.is_valid() or not good:
        if not good:
            messages.error(request, _("None of the selected representatives has a valid email address."))
        ctx = base_context(site, request, _("Write to several representatives"))
        ctx.update({"school": school, "form": form, "good": good, "missing": missing, "bad": bad, "pairs": raw})
        return render(request, "cas_educonnect/admin/write.html", ctx)
    settings = SchoolSettings.objects.filter(establishment=school).first()
    reply_to = (settings.contact_email if settings else "") or school.email
    emails = [
        mail.EmailMessage(
            form.cleaned_data["subject"],
            form.cleaned_data["message"],
            to=[address],
            reply_to=[reply_to] if reply_to else None,
        )
        for _account, address in good
    ]
    try:
        with mail.get_connection() as connection:
            sent = connection.send_messages(emails) or 0
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("email to %d representatives failed: %s", len(emails), exc)
        messages.error(request, _("The emails could not be sent."))
        return HttpResponseRedirect(notify_url)
    record(
        request.user,
        AuditAction.EMAIL_WRITTEN,
        school,
        [account for account, _address in good],
        detail=f"{sent} separate email(s); {len(missing) + len(bad)} without a valid address",
    )
    messages.success(
        request, ngettext("%(count)d email sent.", "%(count)d separate emails sent.", sent) % {"count": sent}
    )
    for address in bad:
        messages.warning(
            request, _("Badly formatted email address, not written to: %(address)s") % {"address": address}
        )
    return HttpResponseRedirect(notify_url)
