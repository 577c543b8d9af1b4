"""Login step of the legacy route: the sunset of "Autres publics" for pupils and parents.

First in ``CAS_EDUCONNECT_LOGIN_STEPS``: after the sunset day of his population, a legacy
pupil or parent who typed correct legacy credentials does not get a session; he sees a
page pointing to the Éducation nationale route and offering the switch (his credentials
were just proved, so the switch starts without asking them again). Teachers and other
publics, and everyone before the sunset, go on (their last legacy login is recorded;
before the sunset the next step, :mod:`.offer`, may offer the switch).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cas_educonnect.accounts.lookup import find_account
from cas_educonnect.login.flow import login_url, step_params
from cas_educonnect.models import AccountKind
from cas_educonnect.routes.legacy import state
from cas_educonnect.routes.legacy.matching import match_person
from cas_educonnect.routes.legacy.models import LegacyProfile
from cas_educonnect.routes.legacy.sunset import closing_day, is_closed


def sunset(request: HttpRequest, username: str, view=None) -> HttpResponse | None:
    """Refuse the legacy route to closed populations (see module docstring)."""
    account = find_account(username)
    if account is None or account.kind != AccountKind.LEGACY:
        return None
    profile = LegacyProfile.objects.filter(account=account).first()
    if profile is None:
        return None
    if not (profile.switchable_population and is_closed(profile.category)):
        LegacyProfile.objects.filter(pk=profile.pk).update(last_login_at=timezone.now())
        return None
    service, _warn = step_params(request, view)
    switchable = match_person(profile, account.email) is not None
    if switchable:
        state.start(request, account, service)
    context = {
        "closed_since": closing_day(profile.category),
        "category": profile.get_category_display(),
        "switchable": switchable,
        "educonnect_url": login_url(service, idpId="educonnect"),
        "service": service,
    }
    return render(request, "cas_educonnect/legacy/sunset.html", context)
