"""Simulated access of one account: the services open to it and the exact attributes each receives.

Only the user's schools are shown, and a value about a person outside them (a shared parent's
child in another school: his jointure, INE, structure id or school UAI) is hidden.
"""

from __future__ import annotations

from cas_server.models import ServicePattern
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cas_educonnect.attributes.service import service_release
from cas_educonnect.models import Account, AccountState, Pupil
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.models import AuditAction
from cas_educonnect.staff.scoping import account_schools_for, pupils_for
from cas_educonnect.staff.services import service_url, services_for_account


def _back(model_admin, account):
    return HttpResponseRedirect(
        reverse(f"{model_admin.admin_site.name}:cas_educonnect_account_change", args=[account.pk])
    )


def _service_view(account: Account, url: str) -> tuple[dict[str, list[str]], str]:
    """(attributes the service at ``url`` receives, why it receives none or '')."""
    if not url:
        return {}, _("This service has no access URL.")
    try:
        attributes, reason = service_release(account.identifier, url)
    except ServicePattern.DoesNotExist:
        return {}, _("No CAS service matches this URL.")
    return attributes, (_("No ticket: %(reason)s.") % {"reason": reason}) if reason else ""


def _foreign_markers(user, account: Account) -> set[str]:
    """Lowercased ids of the account's pupils outside ``user``'s schools, and their UAIs."""
    pupils = Pupil.objects.filter(
        Q(accounts=account) | Q(links__representative__accounts=account, links__closed_at__isnull=True)
    ).exclude(pk__in=pupils_for(user).values("pk"))
    markers = set()
    for pupil in pupils.select_related("establishment"):
        markers.update({pupil.jointure, pupil.ine, pupil.struct_id, pupil.establishment.uai})
    return {m.lower() for m in markers if m}


def _hide(values: list[str], foreign: set[str]) -> list[str]:
    hidden = _("(hidden: a person outside your schools)")
    return [hidden if any(m in value.lower() for m in foreign) else value for value in values]


def simulate(model_admin, request, account: Account):
    """Read-only view of what the person sees: open services and the attributes each receives."""
    if account.state != AccountState.ACTIVE:
        messages.error(request, _("Access can only be simulated for an account in use."))
        return _back(model_admin, account)
    schools = []
    mine = set(account_schools_for(request.user, account).values_list("pk", flat=True))
    foreign = _foreign_markers(request.user, account)
    for school, services in services_for_account(account):
        if school.pk not in mine:
            continue  # another school's services would tell where the other children are
        rows = []
        for service in services:
            url = service_url(service)
            # What the service really receives: its ServicePattern's release rules and the
            # refusals applied, exactly as at ticket issuance; values about persons outside
            # the user's schools are hidden.
            attributes, reason = _service_view(account, url)
            attributes = {name: _hide(values, foreign) for name, values in attributes.items()}
            rows.append({"service": service, "url": url, "attributes": sorted(attributes.items()), "reason": reason})
        schools.append({"school": school, "services": rows})
    record(
        request.user, AuditAction.SIMULATE, account_schools_for(request.user, account).order_by("pk").first(), [account]
    )
    ctx = {
        **model_admin.admin_site.each_context(request),
        "title": _("Simulated access"),
        "account": account,
        "schools": schools,
        "opts": model_admin.model._meta,
    }
    return render(request, "cas_educonnect/admin/simulate.html", ctx)
