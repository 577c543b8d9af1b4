"""The help page and the legal pages (« Mentions légales », « Données personnelles »,
« Accessibilité ») every public page links from its footer.

Their facts (publisher, contacts, DPO, RGAA conformity) come from
``CAS_EDUCONNECT_LEGAL_INFORMATION``; their texts are templates a project overrides at the
same path. The privacy page states the retention periods from the purge settings, so it
says what ``educonnect_purge`` really does.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cas_educonnect.conf import DEFAULTS, settings

#: RGAA conformity wording of ``accessibility_status``.
CONFORMITY = {
    "full": _("fully compliant"),
    "partial": _("partially compliant"),
    "none": _("not compliant"),
}


def legal_information() -> dict[str, Any]:
    """The academy's values of ``CAS_EDUCONNECT_LEGAL_INFORMATION`` over the defaults, with
    ``conformity`` (the RGAA wording) and ``contact`` (the help contact, else empty)."""
    info = {**DEFAULTS["CAS_EDUCONNECT_LEGAL_INFORMATION"], **settings.CAS_EDUCONNECT_LEGAL_INFORMATION}
    info["conformity"] = CONFORMITY.get(info["accessibility_status"], CONFORMITY["none"])
    info["accessibility_contact"] = info["accessibility_contact"] or info["contact_email"]
    return info


def retention_days() -> dict[str, int]:
    return {
        "not_activated": settings.CAS_EDUCONNECT_PURGE_NOT_ACTIVATED_DAYS,
        "unused": settings.CAS_EDUCONNECT_PURGE_UNUSED_DAYS,
        "route_logins": settings.CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS,
        "service_accesses": settings.CAS_EDUCONNECT_PURGE_SERVICE_ACCESSES_DAYS,
    }


class LegalPageView(TemplateView):
    """One of the pages: ``template_name`` is ``cas_educonnect/portal/<page>.html``."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "legal": legal_information(),
            "retention": retention_days(),
        }


PAGES = [
    ("aide", "help", "educonnect_help"),
    ("mentions-legales", "legal_notice", "educonnect_legal_notice"),
    ("donnees-personnelles", "privacy", "educonnect_privacy"),
    ("accessibilite", "accessibility", "educonnect_accessibility"),
]
