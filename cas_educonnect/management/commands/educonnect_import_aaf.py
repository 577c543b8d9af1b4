"""Import an AAF export (files, folders, .zip, .tar.gz) into the directory; all or nothing."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cas_educonnect.core.locks import single_run_command
from cas_educonnect.directory.base import ImportFailure
from cas_educonnect.directory.importer import import_paths


class Command(BaseCommand):
    help = (
        "Import AAF XML files (EtabEducNat, MefEducNat, PersRelEleve, Eleve; PersEducNat is counted and skipped) "
        "from files, folders, .zip or .tar.gz archives, and pre-create the missing accounts. A run applies "
        "completely or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="List invalid records and import the rest (broken XML still stops).",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    @single_run_command()
    def handle(self, *args, **options):
        started = time.monotonic()
        progress = self._progress if sys.stderr.isatty() else None
        try:
            summary = import_paths(options["paths"], skip_invalid=options["skip_invalid"], progress=progress)
        except ImportFailure as exc:
            if progress:
                sys.stderr.write("\n")
            self.stderr.write(str(exc))
            raise CommandError("import failed; the database was left unchanged", returncode=1)
        if progress:
            sys.stderr.write("\n")
        for line in summary.invalid:
            self.stderr.write(line)
        if options["format"] == "json":
            self.stdout.write(json.dumps({**summary.as_dict(), "seconds": round(time.monotonic() - started, 3)}))
            return
        self.stdout.write(f"{len(summary.files)} file(s) in {time.monotonic() - started:.1f} s")
        self.stdout.write(f"{'type':<14}{'created':>9}{'updated':>9}{'deleted':>9}{'unchanged':>11}{'skipped':>9}")
        rows = [*summary.types.items(), ("links", summary.links)]
        for name, t in rows:
            self.stdout.write(f"{name:<14}{t.created:>9}{t.updated:>9}{t.deleted:>9}{t.unchanged:>11}{t.skipped:>9}")
        self.stdout.write(f"accounts created: {summary.accounts_created}")
        self.stdout.write(f"changes: {summary.changes}; invalid records skipped: {len(summary.invalid)}")

    def _progress(self, name: str, fraction: float) -> None:
        filled = int(fraction * 30)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%} {Path(name).name[-50:]:<50}")
        sys.stderr.flush()
