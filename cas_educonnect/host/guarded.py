"""The host's check of a user against a service pattern, made again when it may have read stale data.

``ServicePattern.check_user`` refuses a ticket whose user's attributes fail the pattern's
filters. During an issuance under a guard (:mod:`cas_educonnect.core.guards`), those
attributes come from data kept by the process, not read in the request: a refusal is then
not final, and becomes :class:`~cas_educonnect.core.guards.GuardFailed`, which the login
view answers by deciding again from fresh data (``login.policy``). The host raises before
any side effect of its ``LoginView.service_login``, so nothing is done twice.
"""

from __future__ import annotations

from cas_server.models import ServicePatternException

from cas_educonnect.core import guards
from cas_educonnect.host import patches


def check_user(self, user) -> bool:
    """``ServicePattern.check_user``, its refusal deferred to fresh data under a guard."""
    try:
        return patches.original("cas_server.models.ServicePattern.check_user")(self, user)
    except ServicePatternException as refusal:
        if guards.current() is not None:
            raise guards.GuardFailed(f"{type(refusal).__name__} from data kept by the process") from refusal
        raise
