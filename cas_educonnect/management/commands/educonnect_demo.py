"""Build (or refresh) the demo academy; idempotent."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_module

from cas_educonnect.demo import DemoContext, steps


class Command(BaseCommand):
    help = "Create or refresh the demo academy, its services and its staff (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the demo accounts as JSON on stdout.")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="Where the example server is served.")

    def handle(self, *args, **options):
        context = DemoContext(base_url=options["base_url"].rstrip("/"))
        with transaction.atomic():
            for path in steps():
                import_module(path).run(context)
        if options["json"]:
            self.stdout.write(json.dumps(context.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Demo service: {context.base_url}/demo-ent/")
        for account in context.accounts:
            self.stdout.write(
                f"  {account['persona']}: {account['identifier']} / {account['password']} ({account['state']})"
            )
        for note in context.notes:
            self.stdout.write(note)
