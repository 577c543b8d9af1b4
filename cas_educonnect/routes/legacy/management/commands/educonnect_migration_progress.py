"""Per-school progress of the migration from the legacy route to ATEN/EduConnect accounts."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from cas_educonnect.routes.legacy.progress import FIELDS, migration_progress


class Command(BaseCommand):
    help = (
        "Per school: legacy pupil/parent accounts still open and still used, switched ones, "
        "ATEN/EduConnect accounts active and total."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--used-since-days", type=int, default=365, help="A legacy account is 'used' if it logged in since then."
        )

    def handle(self, *args, **options):
        rows = migration_progress(used_since_days=options["used_since_days"])
        if options["format"] == "json":
            self.stdout.write(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
            return
        self.stdout.write("\t".join(("uai", "name") + FIELDS))
        for r in rows:
            self.stdout.write("\t".join([r.uai, r.name] + [str(getattr(r, f)) for f in FIELDS]))
