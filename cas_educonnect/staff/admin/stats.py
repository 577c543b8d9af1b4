"""Statistics page and its Excel export (openpyxl), for one school of the staff member."""

from __future__ import annotations

import io

from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cas_educonnect.staff import schoolyear
from cas_educonnect.staff.access_stats import access_tables
from cas_educonnect.staff.admin.pages import base_context, school_from
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.models import AuditAction
from cas_educonnect.staff.stats import SchoolStats, compute, logins_by_route, school_identifiers


def pupil_headers() -> list[str]:
    return [
        _("Division"),
        _("Pupils"),
        _("Not notified"),
        _("Notified"),
        _("In use"),
        _("% pupils with account in use"),
    ]


def rep_headers() -> list[str]:
    return [
        _("Division"),
        _("Representative accounts"),
        _("Not notified"),
        _("Notified or activation in progress"),
        _("Notified or activation in progress, current year"),
        _("In use"),
        _("% accounts in use"),
        _("% pupils with at least one representative account in use"),
    ]


def tables(stats: SchoolStats) -> list[dict]:
    """Sheets as lists of (title, headers, rows) tables; the page shows the same."""
    result = []
    for name, headers, row in (
        (_("Pupil accounts"), pupil_headers(), lambda c: c.pupil_row()),
        (_("Representative accounts"), rep_headers(), lambda c: c.rep_row()),
    ):
        sections = [{"title": _("School"), "headers": [_("School"), *headers[1:]], "rows": [row(stats.school)]}]
        for mef, divisions in stats.by_mef:
            sections.append(
                {
                    "title": str(mef.label),
                    "headers": headers,
                    "rows": [row(d) for d in divisions] + [[_("Total"), *row(mef)[1:]]],
                }
            )
        result.append({"name": name, "sections": sections})
    return result


def access_sheet(school, year) -> dict:
    months, tables = access_tables(school, year, school_identifiers(school))
    sections = [
        (_("Accesses per service and month"), _("Service"), "service"),
        (_("Accesses per category and month"), _("Category"), "category"),
        (_("Accesses per MEFSTAT and month"), _("MEFSTAT"), "mefstat"),
    ]
    return {
        "name": _("Accesses to services"),
        "sections": [
            {
                "title": f"{title} ({year})",
                "headers": [first, *months, _("Total")],
                "rows": tables[key],
            }
            for title, first, key in sections
        ],
    }


def route_sheet(school) -> dict:
    months, rows = logins_by_route(school)
    return {
        "name": _("Login routes"),
        "sections": [
            {"title": _("Logins per route and month"), "headers": [_("Route"), *months, _("Total")], "rows": rows}
        ],
    }


def workbook(school, sheets: list[dict]) -> io.BytesIO:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet["name"][:31])
        ws.append([school.name, school.uai])
        for section in sheet["sections"]:
            ws.append([])
            ws.append([section["title"]])
            ws.cell(ws.max_row, 1).font = Font(bold=True)
            ws.append(section["headers"])
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
            for row in section["rows"]:
                ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def statistics(site, request):
    school, schools = school_from(request)
    ctx = base_context(site, request, _("Statistics"))
    ctx.update({"school": school, "schools": schools})
    if school is None:
        return render(request, "cas_educonnect/admin/stats.html", ctx)
    year = schoolyear.current()
    sheets = [*tables(compute(school, year)), access_sheet(school, year), route_sheet(school)]
    if request.GET.get("format") == "xlsx":
        record(request.user, AuditAction.STATS_EXPORTED, school)
        return FileResponse(
            workbook(school, sheets),
            as_attachment=True,
            filename=f"statistiques-{school.uai}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    ctx["sheets"] = sheets
    return render(request, "cas_educonnect/admin/stats.html", ctx)
