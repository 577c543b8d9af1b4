"""Add the access counts held by the counter (Redis) to the database; run every few minutes."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cas_educonnect.core.locks import single_run_command
from cas_educonnect.staff.counting import get_counter


class Command(BaseCommand):
    help = (
        "Move the access counts of CAS_EDUCONNECT_ACCESS_COUNTER (Redis) into the database (AccessCount), "
        "exactly once even if interrupted; nothing to do for the database counter."
    )

    @single_run_command()
    def handle(self, *args, **options):
        try:
            added = get_counter().flush()
        except Exception as error:  # Redis out: the counts wait there (or in the database fallback)
            raise CommandError(f"flush failed: {error}") from error
        self.stdout.write(f"{added} access count(s) added")
