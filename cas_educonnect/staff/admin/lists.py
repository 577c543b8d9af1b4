"""Lists of pupil accounts per division or group, on screen, as PDF or CSV (seed 004 §4.3).

The provisional password is shown only for Notifié accounts, ``*****`` for accounts in use,
and "Account to notify" replaces identifier and password for Non notifié ones. Exports are
rendered in memory and streamed; each export is audit-logged.
"""

from __future__ import annotations

import csv
import io

from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from cas_educonnect.accounts.passwords import decrypt_provisional_password
from cas_educonnect.models import AccountKind, AccountState, Division, Group
from cas_educonnect.staff import schoolyear
from cas_educonnect.staff.admin.pages import base_context, by_name, school_from, state_dot
from cas_educonnect.staff.admin.portal import portal_url
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.letters import Letter, render_letters
from cas_educonnect.staff.models import AuditAction
from cas_educonnect.staff.scoping import schools_with_right

MASK = "*****"


def _date(value) -> str:
    return date_format(timezone.localtime(value), "d/m/Y") if value else ""


def rows_for(pupils) -> list[dict]:
    """One row per pupil: his account's credentials as the list may show them, and its dates.

    ``pupils`` come with ``division``, ``mef``, ``accounts`` and ``school_groups`` (his groups
    of the school, seed 004 §1.2.4: a list shows the division and group membership).
    """
    rows = []
    year = schoolyear.current()
    for pupil in pupils:
        accounts = [a for a in pupil.accounts.all() if a.kind == AccountKind.PUPIL and a.state != AccountState.CLOSED]
        account = accounts[0] if accounts else None
        if account is None or account.state == AccountState.NOT_NOTIFIED:
            identifier = password = _("Account to notify")
        elif account.state == AccountState.NOTIFIED:
            identifier = account.identifier
            password = decrypt_provisional_password(account.provisional_password) or ""
        else:
            identifier, password = account.identifier, MASK
        carried_over = schoolyear.is_carried_over(account, year)
        rows.append(
            {
                "pupil": pupil,
                "carried_over": carried_over,
                "division": str(pupil.division) if pupil.division_id else "",
                "birth_date": date_format(pupil.birth_date, "d/m/Y") if pupil.birth_date else "",
                "mef": str(pupil.mef) if pupil.mef_id else "",
                "groups": ", ".join(str(g) for g in getattr(pupil, "school_groups", [])),
                "notified_at": _date(account.notified_at) if account else "",
                "notification_mode": account.get_notification_mode_display() if account else "",
                "last_used_at": _date(account.last_used_at) if account else "",
                "identifier": identifier,
                "password": password,
                "account": account,
                "state": account.get_state_display() if account else AccountState.NOT_NOTIFIED.label,
                "dot": state_dot(account, carried_over) if account else "",
                "refused": pupil.services_refused,
            }
        )
    return rows


def _pdf(title: str, rows: list[dict]) -> io.BytesIO:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4))
    canvas.setTitle(title)
    columns = [  # (x in mm, title, row key, characters kept)
        (10, _("Name"), "name", 26),
        (55, _("Division"), "division", 8),
        (72, _("Groups"), "groups", 14),
        (98, _("Birth date"), "birth_date", 10),
        (116, _("MEF"), "mef", 16),
        (144, _("Identifier"), "identifier", 26),
        (188, _("Provisional password"), "password", 17),
        (222, _("Notified at"), "notified_at", 10),
        (244, _("Last use"), "last_used_at", 10),
    ]
    y = 0

    def header():
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(15 * mm, 195 * mm, title)
        canvas.setFont("Helvetica-Bold", 8)
        for x, label, _key, _width in columns:
            canvas.drawString(x * mm, 185 * mm, label)
        return 178 * mm

    y = header()
    for row in rows:
        if y < 15 * mm:
            canvas.showPage()
            y = header()
        canvas.setFont("Helvetica", 8)
        values = {**row, "name": str(row["pupil"].last_name).upper() + " " + row["pupil"].first_name}
        for x, _label, key, width in columns:
            canvas.drawString(x * mm, y, str(values[key])[:width])
        y -= 6 * mm
    canvas.showPage()
    canvas.save()
    buffer.seek(0)
    return buffer


def _csv(rows: list[dict]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Last name"),
            _("First name"),
            _("Division"),
            _("Groups"),
            _("Birth date"),
            _("MEF"),
            _("Identifier"),
            _("Provisional password"),
            _("Account state"),
            _("Notified at"),
            _("Mode"),
            _("Last use"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row["pupil"].last_name,
                row["pupil"].first_name,
                row["division"],
                row["groups"],
                row["birth_date"],
                row["mef"],
                row["identifier"],
                row["password"],
                row["state"],
                row["notified_at"],
                row["notification_mode"],
                row["last_used_at"],
            ]
        )
    return response


def pupil_list(site, request):
    school, schools = school_from(request)
    ctx = base_context(site, request, _("Lists of pupil accounts"))
    ctx.update({"school": school, "schools": schools})
    if school is None:
        return render(request, "cas_educonnect/admin/lists.html", ctx)
    divisions = Division.objects.filter(establishment=school)
    groups = Group.objects.filter(establishment=school)
    ctx.update({"divisions": divisions, "groups": groups})
    division_id, group_id = request.GET.get("division"), request.GET.get("group")
    if not (division_id or group_id):
        return render(request, "cas_educonnect/admin/lists.html", ctx)
    try:
        source = divisions.get(pk=division_id) if division_id else groups.get(pk=group_id)
    except (Division.DoesNotExist, Group.DoesNotExist, ValueError):
        raise Http404(_("No such division or group in this school."))
    pupils = source.pupils.filter(establishment=school, left_at__isnull=True)
    pupils = pupils.select_related("division", "mef").prefetch_related(
        "accounts", Prefetch("groups", queryset=groups.order_by("code"), to_attr="school_groups")
    )
    pupils = by_name(pupils)
    rows = rows_for(pupils)
    title = _("Pupil accounts of %(source)s – %(school)s") % {"source": source, "school": school.name}
    export = request.GET.get("format")
    if export in ("pdf", "csv"):
        record(
            request.user,
            AuditAction.LIST_EXPORTED,
            school,
            [r["account"] for r in rows if r["account"]],
            detail=f"{source} {export}",
        )
        name = f"comptes-eleves-{school.uai}-{source}.{export}".replace(" ", "_")
        if export == "pdf":
            return FileResponse(_pdf(title, rows), as_attachment=True, filename=name, content_type="application/pdf")
        response = _csv(rows)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    ctx.update(
        {
            "rows": rows,
            "source": source,
            "list_title": title,
            "query": f"school={school.pk}&{'division' if division_id else 'group'}={source.pk}",
        }
    )
    return render(request, "cas_educonnect/admin/lists.html", ctx)


def letter_preview(site, request):
    """A sample letter of the school's model (header, body, address), with made-up values."""
    school, _schools = school_from(request)
    if school is None or not schools_with_right(request.user, "letters").filter(pk=school.pk).exists():
        raise Http404(_("No such school in your scope."))
    kind = request.GET.get("kind", "representative")
    letter = Letter(
        kind="pupil" if kind == "pupil" else "representative",
        recipient=["Mme EXEMPLE Camille", "1 rue de l'Exemple", "56000 Vannes"],
        pupil="Léa EXEMPLE",
        division="3A",
        identifier="camille.exemple",
        password=None if kind == "continuity" else "ab12cd34",
        holder="Mme EXEMPLE Camille",
    )
    buffer = io.BytesIO()
    render_letters(school, [letter], buffer, portal_url(request))
    buffer.seek(0)
    return FileResponse(buffer, filename=f"apercu-{kind}.pdf", content_type="application/pdf")
