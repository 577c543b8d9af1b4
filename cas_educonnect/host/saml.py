"""``samlValidate`` answering multi-valued attributes the way SAML 1.1 clients read them.

The host renders one ``<Attribute>`` element per *value*, so a parent's three
``FrEduVecteur`` values arrive as three attributes of the same name and common clients
(python-cas, phpCAS' SAML mode) keep only the last child. We render one ``<Attribute>`` per
name holding every ``<AttributeValue>``, as the SAML 1.1 assertion schema intends, and parse
the SOAP request without entity expansion or network access.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from cas_server import utils as cas_utils
from cas_server import views as cas_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from lxml import etree

logger = logging.getLogger(__name__)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def grouped(attributes: dict) -> list[tuple[str, list[str]]]:
    """``{name: value or [values]}`` as ``[(name, [values])]`` in the ticket's order."""
    return [
        (name, [str(v) for v in (value if isinstance(value, list) else [value])]) for name, value in attributes.items()
    ]


class SamlValidate(cas_views.SamlValidate):
    """The host's SAML 1.1 validation with grouped attribute values."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.request = request
        self.target = request.GET.get("TARGET")
        try:
            self.root = etree.fromstring(request.body, parser=_PARSER)
            self.ticket = self.process_ticket()
        except etree.XMLSyntaxError:
            logger.warning("SamlValidate: unparsable request body")
            return cas_views.SamlValidateError("VersionMismatch").render(request)
        except cas_views.SamlValidateError as error:
            logger.warning("SamlValidate: validation error: %s %s", error.code, error.msg)
            return error.render(request)
        ticket = self.ticket
        params = {
            "IssueInstant": timezone.now().isoformat(),
            "expireInstant": (ticket.creation + timedelta(seconds=ticket.VALIDITY)).isoformat(),
            "Recipient": self.target,
            "ResponseID": cas_utils.gen_saml_id(),
            "username": ticket.username(),
            "attributes": grouped(ticket.attributs or {}),
            "auth_date": ticket.user.last_login.replace(microsecond=0).isoformat(),
            "is_new_login": "true" if ticket.renew else "false",
        }
        logger.info(
            "SamlValidate: ticket %s validated for %s on %s", ticket.value, ticket.user.username, ticket.service
        )
        return render(request, "cas_educonnect/host/samlValidate.xml", params, content_type="text/xml; charset=utf-8")
