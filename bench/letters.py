"""Benchmark: render the notification letters of 1,500 pupils (target: <= 30 s).

Run: ``python bench/letters.py`` from the repository root (in-memory SQLite, test settings).
Prints one figure per line. Baseline measured in the same run: 1,500 pages of the same
text drawn with bare reportlab calls (no database, no model), the floor of any renderer.
"""

from __future__ import annotations

import io
import os
import sys
import time

sys.path[:0] = [".", "example_project"]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from cas_educonnect.accounts.passwords import encrypt_provisional_password, generate_provisional_password  # noqa: E402
from cas_educonnect.models import Account, AccountKind, Division, Establishment, Pupil  # noqa: E402
from cas_educonnect.staff.letters import render_letters  # noqa: E402
from cas_educonnect.staff.models import NotificationJob  # noqa: E402
from cas_educonnect.staff.notify import printable  # noqa: E402
from cas_educonnect.staff.tasks import run_job  # noqa: E402

N = 1500


def setup() -> tuple[Establishment, list[tuple[int, int]]]:
    call_command("migrate", verbosity=0)
    school = Establishment.objects.create(uai="0561641E", jointure="S1", name="Lycée Bench", city="Vannes")
    divisions = [Division.objects.create(establishment=school, code=f"D{i}") for i in range(50)]
    pupils = Pupil.objects.bulk_create(
        Pupil(jointure=f"P{i}", last_name=f"Nom{i}", first_name="Léa", establishment=school, division=divisions[i % 50])
        for i in range(N)
    )
    accounts = Account.objects.bulk_create(
        Account(
            identifier=f"lea.nom{i}",
            kind=AccountKind.PUPIL,
            state="notified",
            provisional_password=encrypt_provisional_password(generate_provisional_password()),
        )
        for i in range(N)
    )
    Account.pupils.through.objects.bulk_create(
        Account.pupils.through(account_id=a.pk, pupil_id=p.pk) for a, p in zip(accounts, pupils, strict=True)
    )
    return school, [(a.pk, p.pk) for a, p in zip(accounts, pupils, strict=True)]


def baseline() -> float:
    start = time.perf_counter()
    canvas = Canvas(io.BytesIO(), pageCompression=1)
    for i in range(N):
        for line in range(40):
            canvas.setFont("Helvetica", 10.5)
            canvas.drawString(
                60, 800 - 14 * line, f"Line {line} of letter {i}: identifier lea.nom{i} password abcd1234"
            )
        canvas.showPage()
    canvas.save()
    return time.perf_counter() - start


def main() -> None:
    school, pairs = setup()
    base = baseline()
    start = time.perf_counter()
    buffer = io.BytesIO()
    count = render_letters(school, printable(pairs), buffer, "https://ent.example/cas/login")
    elapsed = time.perf_counter() - start
    assert count == N
    print(f"letters: {count}")
    print(f"letters_seconds: {elapsed:.2f}")
    print(f"letters_per_second: {count / elapsed:.0f}")
    print(f"pdf_megabytes: {len(buffer.getvalue()) / 1e6:.1f}")
    print(f"baseline_bare_reportlab_seconds: {base:.2f}")
    print(f"target_seconds: 30 ({'met' if elapsed <= 30 else 'NOT met'})")
    job = NotificationJob.objects.create(establishment=school, audience="pupils", mode="paper", account_ids=pairs)
    start = time.perf_counter()
    run_job(job, "https://ent.example/cas/login")
    job_seconds = time.perf_counter() - start
    print(f"notification_job_{N}_accounts_seconds: {job_seconds:.2f}")


if __name__ == "__main__":
    main()
