"""Measure inbox, start, completion and bare-engine costs at several sizes on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the project (for `service`) and the sibling bench modules

from bench_measure import API_COMPLETE, INBOX_PAGE, INBOX_USER, Bench, measure_all  # noqa: E402
from bench_profile import Profile, profile  # noqa: E402
from bench_report import (  # noqa: E402
    MAX_COMPLETE_RATIO,
    MAX_FLAT_RATIO,
    Cell,
    Run,
    console,
    write,
)
from bench_seed import build, capture, counts, fill  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench")


def _profiles(bench: Bench, run: Run, largest: Cell, reps: int) -> list[Profile]:
    """Profile what missed its target, on the largest database of this kind."""
    found = []
    where = f"{largest.db}, {largest.size:,} instances"
    if run.completion_ratio(largest) > MAX_COMPLETE_RATIO:
        drafts = [bench.start_draft(i) for i in range(reps)]  # fresh draft tasks, started outside the profile

        def complete(i: int) -> None:
            bench.complete_draft(drafts[i])

        found.append(profile(f"{API_COMPLETE} — {where}", complete, reps, bench.rt.db.engine))
    growth = run.growth(largest.db)
    if growth and growth[2] > MAX_FLAT_RATIO:
        page = bench.steps()[INBOX_PAGE]
        found.append(profile(f"{INBOX_PAGE} as {INBOX_USER} — {where}", page, reps, bench.rt.db.engine))
    return found


def _url(kind: str, size: int, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / f'bench-{size}.db'}"
    if not str(make_url(PG_URL).database).startswith("bench"):
        sys.exit(f"refusing to reset {PG_URL}: use a database whose name starts with 'bench'")
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3Dbench_{size}"  # one schema per size


def run_database(kind: str, sizes: list[int], reps: int, run: Run) -> None:
    """Fill one database per size, then measure them all side by side."""
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    try:
        benches, cells = [], []
        for size in sizes:
            print(f"[{kind}] building a database with {size:,} instances…", flush=True)
            seeded = build(_url(kind, size, workdir), workdir / str(size))
            capture(seeded)
            fill(seeded, size)
            bench = Bench(seeded)
            mine, roles = bench.inbox_query("mine")[1], bench.inbox_query("roles")[1]
            cells.append(Cell(kind, size, *counts(seeded), user_mine=mine, user_roles=roles, stats=[]))
            benches.append(bench)
        if kind == "postgres":
            with benches[0].rt.db.session() as session:
                run.postgres_version = str(session.execute(text("show server_version")).scalar())
        print(f"[{kind}] measuring…", flush=True)
        for cell, stats in zip(cells, measure_all(benches, reps), strict=True):
            cell.stats = stats
        run.cells += cells
        print(console(cells), flush=True)
        run.profiles += _profiles(benches[-1], run, cells[-1], max(10, reps // 2))
        for bench in benches:
            bench.rt.db.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default=None)
    parser.add_argument("--sizes", default=None, help="comma-separated instance counts (default 1000,10000)")
    parser.add_argument("--reps", type=int, default=None, help="repetitions per operation (default 200)")
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: SQLite, sizes 200,1000, 15 repetitions"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="markdown report (default bench/RESULTS.md; with --quick bench/out/RESULTS-quick.md)",
    )
    args = parser.parse_args(argv)
    db = args.db or ("sqlite" if args.quick else "both")
    sizes = [int(s) for s in (args.sizes or ("200,1000" if args.quick else "1000,10000")).split(",")]
    reps = args.reps or (15 if args.quick else 200)
    output = args.output or (HERE / "out" / "RESULTS-quick.md" if args.quick else HERE / "RESULTS.md")
    command = shlex.join(
        [".venv/bin/python", "bench/bench_platform.py", *(argv if argv is not None else sys.argv[1:])]
    )
    run = Run(command=command, reps=reps)
    for kind in ("sqlite", "postgres") if db == "both" else (db,):
        run_database(kind, sizes, reps, run)
    print("\n" + console(run.cells))
    write(run, output)
    print(f"\nwritten to {output}")


if __name__ == "__main__":
    main()
