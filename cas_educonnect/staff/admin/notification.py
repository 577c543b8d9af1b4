"""Mass notification of representatives and pupils (seed 004 §3.1, §4.1), run in background.

Step 1 (GET): filters (division, régime, state) show the (account, pupil) pairs, all ticked.
Step 2 (POST): the ticked pairs, re-checked against the school, become a NotificationJob run
by a django-tasks task; its page shows progress, who could not be notified and why, and
one PDF of letters per division, rendered in memory at download time.
"""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cas_educonnect.conf import settings
from cas_educonnect.models import Account, AccountKind, AccountState, Division, Pupil
from cas_educonnect.models.accounts import NotificationMode
from cas_educonnect.models.directory import Regime
from cas_educonnect.staff import schoolyear
from cas_educonnect.staff.admin.pages import base_context, by_name, school_from, state_dot
from cas_educonnect.staff.admin.portal import portal_url
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.letters import render_letters
from cas_educonnect.staff.models import AuditAction, JobStatus, NotificationAudience, NotificationJob
from cas_educonnect.staff.notify import printable
from cas_educonnect.staff.scoping import establishments_for
from cas_educonnect.staff.tasks import notify_job

NOTIFIABLE = [AccountState.NOT_NOTIFIED, AccountState.NOTIFIED, AccountState.ACTIVATING, AccountState.ACTIVE]


class FilterForm(forms.Form):
    audience = forms.ChoiceField(label=gettext_lazy("Notify"), choices=NotificationAudience.choices)
    divisions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Divisions"), queryset=Division.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    regimes = forms.MultipleChoiceField(
        label=gettext_lazy("Régime"), choices=Regime.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    states = forms.MultipleChoiceField(
        label=gettext_lazy("Account state"),
        choices=[(s.value, s.label) for s in NOTIFIABLE],
        initial=[AccountState.NOT_NOTIFIED, AccountState.NOTIFIED, AccountState.ACTIVATING],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, school, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["divisions"].queryset = Division.objects.filter(establishment=school)


class SendForm(forms.Form):
    mode = forms.ChoiceField(label=gettext_lazy("Inform by"), choices=NotificationMode.choices, required=False)
    reset_active = forms.BooleanField(label=gettext_lazy("Reset the passwords of accounts in use"), required=False)


def selection(school, audience: str, divisions, regimes, states) -> list[dict]:
    """The (account, pupil) pairs matching the filters, in division and name order."""
    pupils = Pupil.objects.filter(establishment=school, division__in=divisions, left_at__isnull=True)
    if regimes:
        pupils = pupils.filter(regime__in=regimes)
    pupils = pupils.select_related("division")
    rows = []
    if audience == NotificationAudience.PUPILS:
        pupils = by_name(pupils.prefetch_related("accounts"), division=True)
        for pupil in pupils:
            for account in pupil.accounts.all():
                if account.kind == AccountKind.PUPIL and account.state in states:
                    rows.append({"account": account, "pupil": pupil, "person": pupil, "contact": ""})
        return rows
    pupils = by_name(pupils.prefetch_related("links__representative__accounts"), division=True)
    for pupil in pupils:
        for link in pupil.links.all():
            if link.closed_at or link.legal not in (1, 2):
                continue
            rep = link.representative
            for account in rep.accounts.all():
                if account.kind == AccountKind.REPRESENTATIVE and account.state in states:
                    email = account.email if account.email_validated else rep.email
                    contact = email or " ".join(x for x in (rep.address, rep.postal_code, rep.city) if x)
                    row = {"account": account, "pupil": pupil, "person": rep, "contact": contact}
                    rows.append({**row, "bad_email": bool(email) and not is_valid_email(email)})
    return rows


def is_valid_email(address: str) -> bool:
    """Whether ``address`` is an address the mail server can take (flagged before sending)."""
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def checked_pairs(school, audience: str, raw: list[str]) -> list[list[int]]:
    """Posted ``account:pupil`` pairs that really link an account to a pupil of ``school``."""
    pairs = []
    for value in raw:
        try:
            account_id, pupil_id = (int(x) for x in value.split(":", 1))
        except ValueError:
            continue
        pairs.append((account_id, pupil_id))
    pupils = Pupil.objects.filter(pk__in=[p for _a, p in pairs], establishment=school)
    accounts = Account.objects.filter(pk__in=[a for a, _p in pairs]).exclude(state=AccountState.CLOSED)
    if audience == NotificationAudience.PUPILS:
        valid = set(accounts.filter(kind=AccountKind.PUPIL, pupils__in=pupils).values_list("pk", "pupils"))
    else:
        valid = set(
            accounts.filter(kind=AccountKind.REPRESENTATIVE, representatives__links__pupil__in=pupils).values_list(
                "pk", "representatives__links__pupil"
            )
        )
    seen, result = set(), []
    for pair in pairs:
        if pair in valid and pair not in seen:
            seen.add(pair)
            result.append(list(pair))
    return result


def notify(site, request):
    school, schools = school_from(request)
    ctx = base_context(site, request, _("Notify accounts"))
    ctx.update({"school": school, "schools": schools})
    if school is None:
        return render(request, "cas_educonnect/admin/notify.html", ctx)
    if request.method == "POST":
        audience = request.POST.get("audience")
        send = SendForm(request.POST)
        if audience not in NotificationAudience.values or not send.is_valid():
            messages.error(request, _("Invalid notification request."))
            return HttpResponseRedirect(request.get_full_path())
        pairs = checked_pairs(school, audience, request.POST.getlist("pair"))
        if not pairs:
            messages.error(request, _("Select at least one account."))
            return HttpResponseRedirect(request.get_full_path())
        pupils = audience == NotificationAudience.PUPILS
        mode = NotificationMode.PAPER if pupils else (send.cleaned_data["mode"] or NotificationMode.PAPER)
        job = NotificationJob.objects.create(
            establishment=school,
            created_by=request.user,
            audience=audience,
            mode=mode,
            reset_active=pupils and send.cleaned_data["reset_active"],
            account_ids=pairs,
        )
        identifiers = Account.objects.filter(pk__in=[a for a, _p in pairs]).values_list("identifier", flat=True)
        detail = _("%(audience)s, %(mode)s, task %(job)d") % {
            "audience": job.get_audience_display(),
            "mode": job.get_mode_display(),
            "job": job.pk,
        }
        record(request.user, AuditAction.NOTIFY, school, list(identifiers), detail=detail)
        result = notify_job.using(backend=settings.CAS_EDUCONNECT_TASK_BACKEND).enqueue(job.pk, portal_url(request))
        NotificationJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
        return HttpResponseRedirect(reverse(f"{site.name}:educonnect_job", args=[job.pk]))
    form = FilterForm(school, request.GET or None)
    rows = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        rows = selection(school, data["audience"], data["divisions"], data["regimes"], data["states"])
        year = schoolyear.current()
        for row in rows:
            row["carried_over"] = schoolyear.is_carried_over(row["account"], year)
            row["dot"] = state_dot(row["account"], row["carried_over"])
            row["value"] = f"{row['account'].pk}:{row['pupil'].pk}"
    ctx.update({"form": form, "rows": rows, "send_form": SendForm(), "modes": NotificationMode.choices})
    return render(request, "cas_educonnect/admin/notify.html", ctx)


def _job(request, job_id: int) -> NotificationJob:
    job = (
        NotificationJob.objects.filter(pk=job_id, establishment__in=establishments_for(request.user))
        .select_related("establishment")
        .first()
    )
    if job is None:
        raise Http404(_("No such notification in your schools."))
    return job


def job(site, request, job_id: int):
    job = _job(request, job_id)
    divisions = Division.objects.in_bulk([int(k) for k in job.paper if k != "none"])
    downloads = [
        {"key": key, "label": str(divisions[int(key)]) if key != "none" else _("No division"), "count": len(pairs)}
        for key, pairs in sorted(job.paper.items())
    ]
    ctx = base_context(site, request, _("Notification of %(school)s") % {"school": job.establishment.name})
    ctx.update({"job": job, "downloads": downloads, "running": job.status in (JobStatus.PENDING, JobStatus.RUNNING)})
    return render(request, "cas_educonnect/admin/job.html", ctx)


def progress(site, request, job_id: int):
    job = _job(request, job_id)
    return JsonResponse({"status": job.status, "processed": job.processed, "total": job.total, "percent": job.percent})


def letters(site, request, job_id: int, division: str):
    """One division's letters: rendered now into memory and streamed; nothing is written to disk."""
    job = _job(request, job_id)
    if job.status != JobStatus.DONE or division not in job.paper:
        raise Http404(_("No letters for this division."))
    pairs = [tuple(pair) for pair in job.paper[division]]
    buffer = io.BytesIO()
    count = render_letters(job.establishment, printable(pairs), buffer, portal_url(request))
    identifiers = Account.objects.filter(pk__in=[a for a, _p in pairs]).values_list("identifier", flat=True)
    record(request.user, AuditAction.LETTERS_DOWNLOADED, job.establishment, list(identifiers), f"{count} letter(s)")
    buffer.seek(0)
    name = f"courriers-{job.establishment.uai}-{division}.pdf"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type="application/pdf")
