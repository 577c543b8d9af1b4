"""Demo step: register the demo ENT as a CAS service releasing every attribute."""

from __future__ import annotations

import re

from cas_server.models import ReplaceAttributName, ServicePattern

from cas_educonnect.demo import DemoContext
from cas_educonnect.models import ServiceCategory, ServiceProfile

DEMO_SERVICE_NAME = "ENT de démonstration"


def run(context: DemoContext) -> None:
    url = f"{context.base_url}/demo-ent/"
    pattern = "^" + re.escape(url)
    service, _ = ServicePattern.objects.update_or_create(
        name=DEMO_SERVICE_NAME,
        defaults={"pattern": pattern, "pos": 100, "single_log_out": False},
    )
    ReplaceAttributName.objects.get_or_create(service_pattern=service, name="*", defaults={"replace": ""})
    ServiceProfile.objects.update_or_create(
        service_pattern=service, defaults={"category": ServiceCategory.ENT, "url": url}
    )
    context.services.append({"name": DEMO_SERVICE_NAME, "url": url, "pattern": pattern})
