"""Print what release() gives for accounts, optionally as one service receives it."""

from __future__ import annotations

import json

from cas_server.models import ServicePattern
from django.core.management.base import BaseCommand, CommandError

from cas_educonnect.attributes import cache, release
from cas_educonnect.attributes.service import service_release
from cas_educonnect.attributes.subject import load_subject


class Command(BaseCommand):
    help = (
        "Print one JSON object mapping each identifier to its released attributes (null: unknown account). "
        "With --service, what that service receives after its ServicePattern rules."
    )

    def add_arguments(self, parser):
        parser.add_argument("identifiers", nargs="+", metavar="IDENTIFIER", help="Account identifiers.")
        parser.add_argument("--service", help="Service URL: apply its ServicePattern (filter, rename, rewrite).")
        parser.add_argument(
            "--person",
            help="Joint accounts: only this person's part (key shown by --list-persons); default: everyone.",
        )
        parser.add_argument("--list-persons", action="store_true", help="Print each account's person keys instead.")

    def handle(self, *args, **options):
        service = options["service"]
        if service:
            try:
                ServicePattern.validate(service)
            except ServicePattern.DoesNotExist:
                raise CommandError(f"No ServicePattern matches {service!r}: that service cannot get a ticket.")
        result: dict[str, object] = {}
        unknown: list[str] = []
        with cache.request_cache():
            for identifier in options["identifiers"]:
                subject = load_subject(identifier)
                if subject is None:
                    result[identifier] = None
                    unknown.append(identifier)
                elif options["list_persons"]:
                    result[identifier] = {p.key: f"{p.first_name} {p.last_name}".strip() for p in subject.persons}
                elif service:
                    result[identifier], reason = service_release(identifier, service, options["person"])
                    if reason:
                        self.stderr.write(f"{identifier}: no ticket for {service}: {reason}")
                else:
                    result[identifier] = release(identifier, person=options["person"])
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        if unknown:
            raise CommandError(f"Unknown or closed account(s): {', '.join(unknown)}")
