"""List accounts with their schools and the AAF jointures they cover."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from cas_educonnect.accounts.listing import list_accounts
from cas_educonnect.models import AccountState, Establishment


class Command(BaseCommand):
    help = "List accounts: identifier, kind, state, schools (UAI) and AAF jointures of the persons covered."

    def add_arguments(self, parser):
        parser.add_argument("--school", metavar="UAI", help="Only accounts linked to this school.")
        parser.add_argument("--state", choices=list(AccountState.values), help="Only accounts in this state.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        school = (options["school"] or "").strip().upper() or None
        if school and not Establishment.objects.filter(uai=school).exists():
            raise CommandError(f"unknown school UAI {school!r}")
        rows = list_accounts(school, options["state"])
        if options["format"] == "json":
            # Streamed as one JSON array, one account per line.
            self.stdout.write("[", ending="")
            for index, row in enumerate(rows):
                self.stdout.write(("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False), ending="")
            self.stdout.write("\n]")
            return
        count = 0
        for row in rows:
            count += 1
            self.stdout.write(
                f"{row['identifier']}\t{row['kind']}\t{row['state']}\t"
                f"{','.join(row['schools'])}\t{','.join(row['jointures'])}"
            )
        self.stdout.write(f"{count} account(s)")
