"""``{% franceconnect_login_url service as url %}``: the FranceConnect entry, or '' when not configured."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from cas_educonnect.routes.franceconnect import ENTRY_URL_NAME
from cas_educonnect.routes.franceconnect.client import is_configured

register = template.Library()


@register.simple_tag
def franceconnect_login_url(service: str = "") -> str:
    if not is_configured():
        return ""
    url = reverse(ENTRY_URL_NAME)
    return f"{url}?{urlencode({'service': service})}" if service else url
