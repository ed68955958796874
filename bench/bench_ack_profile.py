"""Where one acknowledgement's time goes (issue 16, 5a): cProfile and the SQL of the POST, in-process.

For each code version (a `git worktree` or `git archive` of the code before, and this tree), on a fresh
PostgreSQL schema: the storm's set-up (bench_ack_storm.py: N staff, an order waiting on its campaign),
then `--reps` acknowledgements posted one after another through Flask's test client with each person's
own token, profiled. Printed per version: milliseconds per acknowledgement (profiler included), the
share of time per library, the statements and transactions per acknowledgement, and the top functions.

    .venv/bin/python bench/bench_ack_profile.py --url postgresql+psycopg://postgres@127.0.0.1:5432/DB \
        --code /tmp/ack-base --code .
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _run(url: str, n: int, reps: int) -> dict[str, Any]:
    """Inside one code version (cwd and PYTHONPATH): set up, then profile `reps` acknowledgements."""
    sys.path.insert(0, str(Path.cwd() / "bench"))
    import bench_ack_storm  # the version's own set-up
    from bench_profile import profile
    from sqlalchemy import event

    from service import create_app

    setup = bench_ack_storm._setup(url, n)
    targets = [tuple(t) for t in setup["targets"]]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": tmp, "STORAGE_DIR": tmp}
        )
        rt = app.extensions["runtime"]
        client = app.test_client()
        body = json.dumps({"data": {"acknowledged": True}})
        transactions = [0]

        def begun(conn: Any) -> None:
            transactions[0] += 1

        def post(i: int) -> None:
            token, path = targets[i]
            reply = client.post(
                path,
                data=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            assert reply.status_code == 200, (reply.status_code, reply.data[:200])

        for i in range(5):  # warm-up: first-request imports, pool connections, compiled statement cache
            post(i)
        rest = targets[5:]
        targets[:] = rest
        event.listen(rt.db.engine, "begin", begun)
        result = profile("acknowledgement POST", post, reps, rt.db.engine)
        event.remove(rt.db.engine, "begin", begun)
        # The same again without the profiler: wall and this process's CPU per acknowledgement.
        targets[:] = targets[reps:]
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for i in range(reps):
            post(i)
        wall = (time.perf_counter() - wall0) * 1000 / reps
        cpu = (time.process_time() - cpu0) * 1000 / reps
        rt.db.dispose()
    return {
        "n": n,
        "reps": reps,
        "model": setup["model"],
        "ms": result.total_ms,
        "wall_ms": wall,
        "cpu_ms": cpu,
        "buckets": result.buckets,
        "statements": sum(calls for _, calls, _ in result.sql),
        "transactions": transactions[0] / reps,
        "sql": result.sql,
        "top_self": result.top_self,
        "top_service": result.top_service,
    }


def _print(label: str, r: dict[str, Any]) -> None:
    print(f"\n### {label}: {r['model']}, {r['n']} staff, {r['reps']} acknowledgements in a row")
    print(
        f"{r['wall_ms']:.2f} ms per acknowledgement unprofiled, of which {r['cpu_ms']:.2f} ms CPU of this "
        f"process; {r['ms']:.2f} ms profiled; {r['statements']:.1f} statements and "
        f"{r['transactions']:.1f} transactions each"
    )
    print("time by library: " + ", ".join(f"{b} {s:.0%}" for b, s in r["buckets"]))
    print("statements (calls, ms per acknowledgement):")
    for stmt, calls, ms in r["sql"]:
        print(f"  {calls:4.1f} × {ms:6.2f} ms  {stmt}")
    print("top functions by own time (calls, self ms, cumulative ms):")
    for name, calls, self_ms, cum in r["top_self"]:
        print(f"  {calls:3d} {self_ms:6.2f} {cum:6.2f}  {name}")
    print("top service functions (calls, self ms, cumulative ms):")
    for name, calls, self_ms, cum in r["top_service"]:
        print(f"  {calls:3d} {self_ms:6.2f} {cum:6.2f}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--code", action="append", help="a code version's root (repeatable)")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        print(json.dumps(_run(args.url, args.n, args.reps)))
        return
    for code in [Path(c).resolve() for c in (args.code or ["."])]:
        out = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--inside",
                "--url",
                args.url,
                "--n",
                str(args.n),
                "--reps",
                str(args.reps),
            ],
            env={**os.environ, "PYTHONPATH": str(code)},
            cwd=code,
            check=True,
            capture_output=True,
            text=True,
        )
        rev = subprocess.run(
            ["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        _print(f"{code} ({rev})", json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
