#!/usr/bin/env python
"""Write a synthetic academy export: ``bench/gen_aaf.py N [--out DIR] [--seed S] [--delta]``.

N pupils, ~1.5 N representatives, schools of both degrees; ``--delta`` also writes a 1 %
``_Delta_`` export beside it (in ``DIR/delta``). Prints one figure per line.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cas_educonnect.directory.generate import Generator  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("--out", default="aaf-export")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--delta", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    generator = Generator(args.n, args.seed)
    export = generator.write(args.out)
    print(f"pupils {export.pupils}")
    print(f"representatives {export.representatives}")
    print(f"schools {len(export.schools)}")
    print(f"files {len(export.paths)}")
    print(f"bytes {sum(p.stat().st_size for p in export.paths)}")
    if args.delta:
        print(f"delta_requests {generator.write_delta(Path(args.out) / 'delta')}")
    print(f"seconds {time.monotonic() - started:.2f}")


if __name__ == "__main__":
    main()
