"""Throughput (issue 16, benchmark 5c): 50 clients start and complete their own instances through gunicorn.

Two code versions side by side in one run: by default `main`'s last commit (extracted with `git archive`)
and the working tree, each on its own fresh PostgreSQL database (`<url>_old`, `<url>_new`) and its own
gunicorn (4 sync workers). Both servers stay up; the 50 client threads drive one at a time, in
alternating slices (old, new, new, old, …) that add up to `--seconds` per version, so the machine's
drifting load hits both alike. Each client loops: start an order draft (POST
/api/v1/processes/order_drafting/instances), then complete its draft task (POST /api/v1/tasks/<id>/complete).
Measured: completions per second, p50/p95 of each request, errors; and the ratio new ÷ old.

    .venv/bin/python bench/bench_throughput.py --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_perf_tp
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_ack_storm import (  # noqa: E402
    _backend_pids,
    _cpu_s,
    _extract,
    _free_port,
    _gunicorn,
    _rev,
    _session_pids,
)

ROOT = HERE.parent
CLIENTS = 50
BODY = {"data": {"title": "Бенчмарк", "order_type": "other", "body": "Мәтін"}}
SECTION = "## Throughput: start + complete under 50 clients (issue 16, 5c)"


def _setup(url: str) -> dict[str, Any]:
    """A fresh database with the demo people and the shipped diagrams; an API token of the drafter."""
    from sqlalchemy import create_engine, select, text

    from service import create_app
    from service.platform.auth import accounts
    from service.platform.persistence.migrate import upgrade
    from service.platform.persistence.models import User
    from service.platform.runtime import Actor

    admin, name = url.rsplit("/", 1)
    assert name.startswith("bench_perf"), "only bench_perf* databases"
    engine = create_engine(admin + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    upgrade(url)
    tmp = tempfile.mkdtemp(prefix="tpbench-")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": tmp, "STORAGE_DIR": tmp})
    cli = app.test_cli_runner()
    assert cli.invoke(args=["demo"]).exit_code == 0
    assert cli.invoke(args=["deploy"]).exit_code == 0
    rt = app.extensions["runtime"]
    with rt.db.session() as session:
        user = session.execute(select(User).where(User.username == "wg_deputy")).scalar_one()
        actor = Actor.of(user.with_roles())
    token = accounts.create_token(rt, actor, "wg_deputy", "bench")
    rt.db.engine.dispose()
    return {"token": token}


def _in_version(code: Path, *args: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        env=env,
        cwd=code,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _post(port: int, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as reply:
        return dict(json.loads(reply.read()))


def _slice(port: int, token: str, seconds: float, sink: dict[str, list[Any]], server: int, url: str) -> None:
    """50 clients, each starting and completing its own instances until the slice ends.

    Also the CPU seconds the slice cost: gunicorn's workers, their PostgreSQL backends, the clients.
    """
    workers, backends = _session_pids(server), _backend_pids(url)
    cpu_before = (_cpu_s(workers), _cpu_s(backends), time.process_time())
    stop_at = time.perf_counter() + seconds
    lock = threading.Lock()

    def client() -> None:
        while time.perf_counter() < stop_at:
            try:
                t0 = time.perf_counter()
                started = _post(
                    port, token, "/api/v1/processes/order_drafting/instances", {"data": {"title": "B"}}
                )
                t1 = time.perf_counter()
                (task,) = [t for t in started["tasks"] if t["bpmn_id"] == "Task_draft"]
                _post(port, token, f"/api/v1/tasks/{task['id']}/complete", BODY)
                t2 = time.perf_counter()
            except Exception as err:  # counted and reported
                with lock:
                    sink["errors"].append(str(err)[:120])
                continue
            with lock:
                sink["start"].append(t1 - t0)
                sink["complete"].append(t2 - t1)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sink["wall"].append(time.perf_counter() - began)
    backends = sorted(set(backends) | set(_backend_pids(url)))  # a backend that began mid-slice counts whole
    sink["cpu_server"].append(_cpu_s(workers) - cpu_before[0])
    sink["cpu_db"].append(_cpu_s(backends) - cpu_before[1])
    sink["cpu_client"].append(time.process_time() - cpu_before[2])


def _give_history(port: int, token: str, instances: int, server: int, url: str) -> None:
    """Drive the clients until the database holds `instances` more finished drafts, then VACUUM ANALYZE.

    A fresh database's tables grow from a few rows to thousands during a run; where autovacuum is off
    (this machine's PostgreSQL) they are never analyzed, so the plans psycopg's prepared statements
    cached while the tables were tiny (sequential scans) stay for the whole run. A school's database has
    history and statistics: this gives it both, alike for every version measured."""
    from sqlalchemy import create_engine, text

    done = 0
    while done < instances:
        sink = _sink()
        _slice(port, token, 5.0, sink, server, url)
        done += len(sink["complete"])
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def _sink() -> dict[str, list[Any]]:
    kinds = ("start", "complete", "errors", "wall", "cpu_server", "cpu_db", "cpu_client")
    return {kind: [] for kind in kinds}


def _summary(sink: dict[str, list[Any]]) -> dict[str, Any]:
    wall = sum(sink["wall"])
    out: dict[str, Any] = {
        "wall_s": wall,
        "completions": len(sink["complete"]),
        "errors": len(sink["errors"]),
    }
    out["per_s"] = out["completions"] / wall if wall else 0.0
    out["error_samples"] = sink["errors"][:3]
    for part in ("server", "db", "client"):  # CPU ms per start + completion
        spent = sum(sink.get(f"cpu_{part}", []))
        out[f"cpu_{part}_ms"] = spent * 1000 / out["completions"] if out["completions"] else None
    for kind in ("start", "complete"):
        values = sorted(sink[kind])
        out[f"{kind}_p50_ms"] = statistics.median(values) * 1000 if values else None
        out[f"{kind}_p95_ms"] = values[int(0.95 * (len(values) - 1))] * 1000 if values else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", nargs="?", choices=("setup", "report"))
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--old", default="main", help="git ref of today's code")
    parser.add_argument("--seconds", type=float, default=60.0, help="driven seconds per version")
    parser.add_argument("--slices", type=int, default=4, help="alternating slices per version")
    parser.add_argument("--json", default=str(ROOT / "bench" / "throughput.json"))
    parser.add_argument(
        "--history",
        type=int,
        default=0,
        help="start + complete this many instances first, then VACUUM ANALYZE (a database with history)",
    )
    args = parser.parse_args()
    if args.step == "setup":
        print(json.dumps(_setup(args.url)))
        return
    if args.step == "report":
        report(Path(args.json), ROOT / "bench" / "RESULTS.md")
        return
    if not args.url:
        parser.error("--url (PostgreSQL, database name starting bench_perf) is required")
    versions = [
        (f"{args.old} ({_rev(args.old)})", _extract(args.old), args.url + "_old"),
        (f"this branch ({_rev('HEAD')})", ROOT, args.url + "_new"),
    ]
    servers: list[subprocess.Popen[bytes]] = []
    runs: list[tuple[str, int, str, dict[str, list[Any]], int, str]] = []
    load: list[float] = []
    try:
        for label, code, url in versions:
            token = _in_version(code, "setup", "--url", url)["token"]
            port = _free_port()
            servers.append(_gunicorn(code, url, port))
            runs.append((label, port, token, _sink(), servers[-1].pid, url))
        for _, port, token, _, pid, url in runs:  # warm every worker's imports, caches and pools
            _slice(port, token, 3.0, _sink(), pid, url)
            if args.history:
                _give_history(port, token, args.history, pid, url)
        per_slice = args.seconds / args.slices
        for k in range(args.slices):
            order = runs if k % 2 == 0 else runs[::-1]
            for _, port, token, sink, pid, url in order:
                load.append(os.getloadavg()[0])
                _slice(port, token, per_slice, sink, pid, url)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    results = [{"code": label, **_summary(sink)} for label, _, _, sink, _, _ in runs]
    for row in results:
        print(json.dumps(row), flush=True)
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
        " (shared with other engineers' sessions)",
        "python": platform.python_version(),
        "clients": CLIENTS,
        "seconds": args.seconds,
        "slices": args.slices,
        "load_min": min(load),
        "load_max": max(load),
        "history": args.history,
    }
    Path(args.json).write_text(json.dumps({"meta": meta, "results": results}, indent=1), encoding="utf-8")
    report(Path(args.json), ROOT / "bench" / "RESULTS.md")


def report(path: Path, results_md: Path) -> None:
    """Append the run's figures to bench/RESULTS.md as a section of its own, dated: earlier runs and the
    readings written under them stay (a run never replaces another's record)."""
    run = json.loads(path.read_text(encoding="utf-8"))
    meta, rows = run["meta"], run["results"]
    history = (
        f"each database first given {meta['history']:,} finished instances and a VACUUM ANALYZE"
        if meta.get("history")
        else "on fresh databases (never analyzed: autovacuum is off on this machine)"
    )
    lines = [
        f"{SECTION}, {meta['date']}",
        "",
        f"Written by `bench/bench_throughput.py` on {meta['date']}; machine: {meta['machine']}, Python "
        f"{meta['python']}; PostgreSQL 15; {meta['clients']} client threads on the same machine, each "
        "starting an order draft and completing its draft task over HTTP, in a loop, against gunicorn "
        f"(4 sync workers). {meta['seconds']:.0f} s per version in {meta['slices']} alternating slices, "
        f"{history}, both versions in this one run; 1-minute load average "
        f"{meta['load_min']:.1f}–{meta['load_max']:.1f} during the slices.",
        "",
        "| code | completions | per second | start p50 / p95 ms | complete p50 / p95 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['code']} | {r['completions']:,} | {r['per_s']:.1f} | "
            f"{r['start_p50_ms']:.0f} / {r['start_p95_ms']:.0f} | "
            f"{r['complete_p50_ms']:.0f} / {r['complete_p95_ms']:.0f} | {r['errors']} |"
        )
    if all(r.get("cpu_server_ms") for r in rows):
        lines += [
            "",
            "CPU per start + completion (ms) during the slices: gunicorn's workers, their PostgreSQL"
            " backends, the 50 client threads; and the ceiling that sets on 2 cores (2,000 ms ÷ the sum).",
            "",
            "| code | gunicorn | PostgreSQL | clients | ceiling (/s) |",
            "|---|---:|---:|---:|---:|",
        ]
        for r in rows:
            total = r["cpu_server_ms"] + r["cpu_db_ms"] + r["cpu_client_ms"]
            cpu = f"{r['cpu_server_ms']:.1f} | {r['cpu_db_ms']:.1f} | {r['cpu_client_ms']:.1f}"
            lines.append(f"| {r['code']} | {cpu} | {2000 / total:.0f} |")
    if len(rows) == 2 and rows[0]["per_s"]:
        lines += [
            "",
            f"Ratio this branch ÷ today's code: **{rows[1]['per_s'] / rows[0]['per_s']:.2f}×**"
            " (target ≥ 3×).",
        ]
    text = results_md.read_text(encoding="utf-8")
    results_md.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
