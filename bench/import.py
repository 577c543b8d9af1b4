#!/usr/bin/env python
"""Time the AAF import: ``bench/import.py [N ...] [--keep]``.

For each N: generate an export, then on SQLite (a file) and on PostgreSQL (when
DATABASE_URL is set; a database ``<name>_bench`` is recreated) time, each in a fresh
process: a full import, an unchanged re-import and a 1 % delta. Baseline measured in the
same run: reading every record of the export with the importer's parser, no database,
and on PostgreSQL the COPY floor: the tables the full import filled are dumped, then
reloaded by COPY into empty tables of the same schema (indexes included), timed. The
headline is ``postgres_full_over_floor``: full import / (parse + COPY floor).
Prints one ``name value`` figure per line: wall and CPU seconds of the importing process
(the machine may be shared: CPU time is the steadier figure on SQLite), persons/s, peak
RSS (MiB), changes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import fresh_database  # noqa: E402

CHILD = """
import json, os, resource, sys, time
sys.path[:0] = [{root!r}, {example!r}]
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
import django
django.setup()
from django.core.management import call_command
started = time.monotonic()
mode = sys.argv[1]
if mode == "migrate":
    call_command("migrate", verbosity=0)
    out = {{}}
elif mode == "floor":
    import tempfile
    from django.apps import apps
    from django.db import connection
    names = [apps.get_model("cas_educonnect", m)._meta.db_table for m in
             ("Pupil", "Representative", "RepresentativeLink", "Account", "UsedIdentifier")]
    names += [apps.get_model("cas_educonnect", "Account").pupils.through._meta.db_table,
              apps.get_model("cas_educonnect", "Account").representatives.through._meta.db_table,
              apps.get_model("cas_educonnect", "Group").pupils.through._meta.db_table]
    seconds, rows = 0.0, 0
    with connection.cursor() as cursor:
        for name in names:
            with tempfile.TemporaryFile() as dump:
                with cursor.copy(f'COPY "{{name}}" TO STDOUT') as copy:
                    for block in copy:
                        dump.write(block)
                dump.seek(0)
                cursor.execute(f'DROP TABLE IF EXISTS "floor_{{name}}"')
                cursor.execute(f'CREATE TABLE "floor_{{name}}" (LIKE "{{name}}" INCLUDING ALL)')
                begin = time.monotonic()
                with cursor.copy(f'COPY "floor_{{name}}" FROM STDIN') as copy:
                    while block := dump.read(1 << 20):
                        copy.write(block)
                seconds += time.monotonic() - begin
                cursor.execute(f'SELECT count(*) FROM "floor_{{name}}"')
                rows += cursor.fetchone()[0]
                cursor.execute(f'DROP TABLE "floor_{{name}}"')
    out = {{"copy_seconds": seconds, "rows": rows}}
elif mode == "parse":
    from cas_educonnect.directory.parser import parse
    from cas_educonnect.directory.sources import collect_sources
    out = {{"records": sum(1 for s in collect_sources(sys.argv[2:]) for _ in parse(s))}}
else:
    from cas_educonnect.directory.importer import import_paths
    out = import_paths(sys.argv[2:]).as_dict()
    out.pop("files"); out.pop("invalid")
out["seconds"] = time.monotonic() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
out["cpu_seconds"] = usage.ru_utime + usage.ru_stime
out["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def child(database_url: str, *args: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    code = CHILD.format(root=str(ROOT), example=str(ROOT / "example_project"))
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def persons(result: dict) -> int:
    return sum(sum(result["types"][t].values()) for t in ("Eleve", "PersRelEleve"))


def run(label: str, database_url: str, export: Path, n: int, parse_seconds: float) -> None:
    child(database_url, "migrate")
    full = child(database_url, "import", str(export / "full"))
    floor = child(database_url, "floor") if label == "postgres" else None
    again = child(database_url, "import", str(export / "full"))
    delta = child(database_url, "import", str(export / "delta"))
    count = persons(full)
    print(f"{label}_n {n}")
    print(f"{label}_full_seconds {full['seconds']:.2f}")
    print(f"{label}_full_cpu_seconds {full['cpu_seconds']:.2f}")
    print(f"{label}_full_persons_per_second {count / full['seconds']:.0f}")
    print(f"{label}_full_persons_per_cpu_second {count / full['cpu_seconds']:.0f}")
    print(f"{label}_full_peak_rss_mib {full['rss_mib']:.0f}")
    print(f"{label}_full_accounts_created {full['accounts_created']}")
    if floor:
        print(f"{label}_copy_floor_seconds {floor['copy_seconds']:.2f}")
        print(f"{label}_copy_floor_rows {floor['rows']}")
        print(f"{label}_full_over_floor {full['seconds'] / (parse_seconds + floor['copy_seconds']):.2f}")
    print(f"{label}_reimport_seconds {again['seconds']:.2f}")
    print(f"{label}_reimport_cpu_seconds {again['cpu_seconds']:.2f}")
    print(f"{label}_reimport_ratio {again['seconds'] / full['seconds']:.2f}")
    print(f"{label}_reimport_changes {again['changes']}")
    print(f"{label}_reimport_peak_rss_mib {again['rss_mib']:.0f}")
    print(f"{label}_delta_seconds {delta['seconds']:.2f}")
    print(f"{label}_delta_cpu_seconds {delta['cpu_seconds']:.2f}")
    print(f"{label}_delta_changes {delta['changes']}")
    print(f"{label}_delta_peak_rss_mib {delta['rss_mib']:.0f}")
    print(f"{label}_load_average_1min {os.getloadavg()[0]:.2f}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[20000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from cas_educonnect.directory.generate import Generator

    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="aaf-bench-") as tmp:
            export = Path(tmp)
            generator = Generator(n, args.seed)
            written = generator.write(export / "full")
            generator.write_delta(export / "delta")
            base = child("sqlite://:memory:", "parse", str(export / "full"))
            print(f"n {n}")
            print(f"load_average_1min {os.getloadavg()[0]:.2f}")
            print(f"persons_in_export {written.pupils + written.representatives}")
            print(f"baseline_parse_seconds {base['seconds']:.2f}")
            print(f"baseline_parse_cpu_seconds {base['cpu_seconds']:.2f}")
            print(f"baseline_parse_records_per_second {base['records'] / base['seconds']:.0f}")
            print(f"baseline_parse_peak_rss_mib {base['rss_mib']:.0f}")
            if not args.no_sqlite:
                run("sqlite", f"sqlite:///{export / 'bench.sqlite3'}", export, n, base["seconds"])
            if os.environ.get("DATABASE_URL", "").startswith("postgres"):
                run("postgres", fresh_database(os.environ["DATABASE_URL"], f"bench{n}"), export, n, base["seconds"])


if __name__ == "__main__":
    main()
