"""The demo academy, built by ``manage.py educonnect_demo`` in ordered, idempotent steps.

Each step module has ``run(context: DemoContext) -> None``; :data:`STEPS` is the order.
A step adds what a person needs to try it (accounts, credentials) to ``context``. A step
that needs an optional app (a login route, the staff admin) runs only when it is installed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

#: (step module, the apps it needs) in order.
STEPS: list[tuple[str, tuple[str, ...]]] = [
    ("cas_educonnect.demo.services", ()),
    ("cas_educonnect.demo.academy", ()),
    ("cas_educonnect.demo.sms", ("cas_educonnect.routes.sms",)),
    ("cas_educonnect.demo.staff", ("cas_educonnect.staff",)),
    ("cas_educonnect.demo.legacy", ("cas_educonnect.routes.legacy",)),
    ("cas_educonnect.demo.franceconnect", ("cas_educonnect.routes.franceconnect",)),
    ("cas_educonnect.demo.aten", ("cas_educonnect.routes.aten",)),
    ("cas_educonnect.demo.grouping", ("cas_educonnect.routes.aten",)),
    ("cas_educonnect.demo.school_admin", ("cas_educonnect.staff",)),
    ("cas_educonnect.demo.attributes", ()),
]


def steps() -> list[str]:
    """The step modules to run with the installed apps, in order."""
    return [path for path, needs in STEPS if all(apps.is_installed(app) for app in needs)]


@dataclass
class DemoContext:
    """What the steps share and what ``--json`` prints."""

    base_url: str = "http://127.0.0.1:8000"
    accounts: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_account(self, identifier: str, password: str, state: str, persona: str, **extra: Any) -> None:
        self.accounts.append(
            {"identifier": identifier, "password": password, "state": state, "persona": persona, **extra}
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "demo_service_url": f"{self.base_url}/demo-ent/",
            "cas_url": f"{self.base_url}/cas/",
            "services": self.services,
            "accounts": self.accounts,
        }
