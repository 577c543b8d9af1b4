"""Import an AAF export (files, folders, .zip, .tar.gz) into the directory; all or nothing."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

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
        terminal = options["format"] == "text" and sys.stdout.isatty() and sys.stderr.isatty()
        progress = Bar() if terminal else Lines(self.stderr)
        try:
            summary = import_paths(options["paths"], skip_invalid=options["skip_invalid"], progress=progress)
        except ImportFailure as exc:
            progress.close()
            self.stderr.write(str(exc))
            raise CommandError("import failed; the database was left unchanged", returncode=1)
        progress.close()
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


class Bar:
    """Progress on a terminal (tqdm on stderr): share of the bytes read, records, rate, ETA."""

    def __init__(self) -> None:
        self.bar = tqdm(total=1000, unit="‰", bar_format="{l_bar}{bar}| {elapsed}<{remaining} {postfix}")
        self.started = time.monotonic()

    def __call__(self, name: str, fraction: float, records: int) -> None:
        rate = records / max(time.monotonic() - self.started, 1e-3)
        self.bar.set_postfix_str(f"{records} records, {rate:.0f}/s, {Path(name).name[-40:]}", refresh=False)
        self.bar.update(int(fraction * 1000) - self.bar.n)

    def close(self) -> None:
        self.bar.close()


class Lines:
    """Progress as plain lines (``--format json``, or not a terminal): one every ``every`` seconds."""

    def __init__(self, out, every: float = 10.0) -> None:
        self.out, self.every = out, every
        self.started = self.last = time.monotonic()

    def __call__(self, name: str, fraction: float, records: int) -> None:
        now = time.monotonic()
        if now - self.last < self.every and fraction < 1.0:
            return
        self.last = now
        elapsed = now - self.started
        eta = elapsed * (1 - fraction) / fraction if fraction else 0.0
        self.out.write(
            f"progress {fraction:.1%} records {records} rate {records / max(elapsed, 1e-3):.0f}/s "
            f"elapsed {elapsed:.0f}s eta {eta:.0f}s file {Path(name).name}"
        )

    def close(self) -> None:
        pass
