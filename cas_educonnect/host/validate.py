"""CAS 2/3 ticket validation with the host's success document written without its template engine.

Under load (``bench/load/``) the host's ``ValidateService`` spent more on presenting its
answer than on the ticket: the Django template of ``cas_server/serviceValidate.xml``
(a node per attribute value, rendered twice) and a ``pprint`` of the attributes for a debug
log line built whether or not debug is on. :class:`ValidateService` keeps the host's
checks (its ``process_ticket``, errors and their documents) and writes the same success
document, byte for byte, as one string (``tests/host/test_validate.py`` compares both for
hostile values). Three cases go to the host's own code: a ``pgtUrl`` (proxy granting
tickets), a missing parameter, and a project overriding the template (then its template
is what the services expect).
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import cas_server
from cas_server import views as cas_views
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime

logger = logging.getLogger(__name__)

TEMPLATE = "cas_server/serviceValidate.xml"
CONTENT_TYPE = "text/xml; charset=utf-8"
HEAD = (
    '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">\n'
    "  <cas:authenticationSuccess>\n"
    "    <cas:user>{user}</cas:user>\n"
    "    <cas:attributes>\n"
    "      <cas:authenticationDate>{date}</cas:authenticationDate>\n"
    "      <cas:longTermAuthenticationRequestTokenUsed>false</cas:longTermAuthenticationRequestTokenUsed>\n"
    "      <cas:isFromNewLogin>{new}</cas:isFromNewLogin>\n"
)
MIDDLE = (
    "    </cas:attributes>\n"
    '    <cas:attribute name="authenticationDate" value="{date}"/>\n'
    '    <cas:attribute name="longTermAuthenticationRequestTokenUsed" value="false"/>\n'
    '    <cas:attribute name="isFromNewLogin" value="{new}"/>\n'
)
TAIL = "  </cas:authenticationSuccess>\n</cas:serviceResponse>\n"


def text(value: object) -> str:
    """``{{ value }}`` as the template engine writes it (local time, localized, escaped)."""
    if not isinstance(value, str):
        value = str(localize(template_localtime(value)))
    return conditional_escape(value)


def success(username: str, attributes: list[tuple[str, object]], proxies: list[str], auth_date: str, new: str) -> str:
    """The host's ``serviceValidate.xml`` success document for these values."""
    pairs = [(text(key), text(value)) for key, value in attributes]
    fields = {"user": text(username), "date": text(auth_date), "new": text(new)}
    parts = [HEAD.format(**fields)]
    parts += [f"      <cas:{key}>{value}</cas:{key}>\n" for key, value in pairs]
    parts.append(MIDDLE.format(**fields))
    parts += [f'    <cas:attribute name="{key}" value="{value}"/>\n' for key, value in pairs]
    if proxies:
        parts.append("    <cas:proxies>\n")
        parts += [f"      <cas:proxy>{text(proxy)}</cas:proxy>\n" for proxy in proxies]
        parts.append("    </cas:proxies>\n")
    parts.append(TAIL)
    return "".join(parts)


@functools.cache
def host_template_in_use() -> bool:
    """Whether ``cas_server/serviceValidate.xml`` resolves to the host's own file (not a project's)."""
    return Path(get_template(TEMPLATE).origin.name).is_relative_to(Path(cas_server.__file__).parent)


class ValidateService(cas_views.ValidateService):
    """``serviceValidate``/``proxyValidate`` (CAS 2 and 3), the success written as one string."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if (
            not request.GET.get("service")
            or not request.GET.get("ticket")
            or request.GET.get("pgtUrl")
            or not host_template_in_use()
        ):
            return super().get(request)
        self.request = request
        self.service, self.ticket = request.GET["service"], request.GET["ticket"]
        self.pgt_url, self.renew = None, bool(request.GET.get("renew"))
        try:
            ticket, proxies = self.process_ticket()
        except cas_views.ValidateError as error:
            logger.warning("ValidateService: validation error: %s %s", error.code, error.msg)
            return error.render(request)
        self.ticket = ticket
        logger.info(
            "ValidateService: ticket %s validated for user %s on service %s.",
            ticket.value,
            ticket.user.username,
            ticket.service,
        )
        body = success(
            ticket.username(),
            ticket.attributs_flat(),
            proxies,
            ticket.user.last_login.replace(microsecond=0).isoformat(),
            "true" if ticket.renew else "false",
        )
        return HttpResponse(body, content_type=CONTENT_TYPE)
