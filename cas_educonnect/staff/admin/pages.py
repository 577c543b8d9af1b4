"""What every staff page shares: the school in scope, the page context, an account's state dot."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cas_educonnect.accounts.identifiers import fold
from cas_educonnect.models import Account, AccountState, Establishment
from cas_educonnect.staff.scoping import establishments_for

STATE_COLOURS = {
    AccountState.NOT_NOTIFIED: "#929292",
    AccountState.NOTIFIED: "#ff9940",
    AccountState.ACTIVATING: "#0063cb",
    AccountState.ACTIVE: "#18753c",
    AccountState.CLOSED: "#3a3a3a",
}


#: Text colour of the accounts carried over from a previous year or school (seed 004 §3.1: « en rouge »).
CARRIED_OVER_COLOUR = "#ce0500"


def state_dot(account: Account, carried_over: bool = False) -> str:
    """The state's dot and name; a carried-over account says so in words too, not by colour alone."""
    colour = STATE_COLOURS.get(account.state, "#666666")
    if carried_over:
        return format_html(
            '<span class="educonnect-state educonnect-state-{} educonnect-carried-over" style="color:{}">'
            '<span style="color:{}">&#9679;</span> {} ({})</span>',
            account.state,
            CARRIED_OVER_COLOUR,
            colour,
            account.get_state_display(),
            _("continuity"),
        )
    return format_html(
        '<span class="educonnect-state educonnect-state-{}"><span style="color:{}">&#9679;</span> {}</span>',
        account.state,
        colour,
        account.get_state_display(),
    )


def school_from(request: HttpRequest, value=None) -> tuple[Establishment | None, list[Establishment]]:
    """The school chosen by ``?school=`` among the user's schools (the only one if he has one)."""
    schools = list(establishments_for(request.user).order_by("name"))
    value = value if value is not None else request.GET.get("school") or request.POST.get("school")
    if value:
        match = [s for s in schools if str(s.pk) == str(value)]
        if not match:
            raise Http404(_("No such school in your scope."))
        return match[0], schools
    return (schools[0] if len(schools) == 1 else None), schools


def base_context(site, request: HttpRequest, title: str) -> dict:
    return {**site.each_context(request), "title": title}


def by_name(pupils, *, division: bool = False) -> list:
    """``pupils`` in French alphabetical order: « Étienne » with the E's, not after « Meyer ».

    The databases sort by code point (SQLite) or by a collation that may differ from one
    server to the next (PostgreSQL), so the order is made here on the folded names.
    """

    def key(pupil):
        return (
            pupil.division.code if division and pupil.division_id else "",
            fold(pupil.last_name),
            fold(pupil.first_name),
        )

    return sorted(pupils, key=key)
