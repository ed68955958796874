"""Acknowledgement storm (issue 16, benchmark 5a): N staff acknowledge one registered order at once.

For each code version (by default `main`'s last commit, extracted with `git archive`, and the working
tree) and each N (100, 1,000, 3,000 staff): a fresh PostgreSQL schema, demo users plus generated staff
up to N, the shipped diagrams deployed, one order taken through drafting, review and approval by the
use cases, then 50 client threads acknowledge through `gunicorn` (4 sync workers) over HTTP, each
person once, with their own API token. Measured: acknowledgements per second, p50/p95 latency of one
acknowledgement request, the instance's state size before and after, and the cost per acknowledgement
(wall time ÷ acknowledgements) at the largest N divided by the smallest. An old-model run stops
issuing after `--budget` seconds; its figures are then over the acknowledgements it finished.

    .venv/bin/python bench/bench_ack_storm.py --url postgresql+psycopg://postgres@127.0.0.1:5432/DB

The script runs its own `setup` and `state` steps in a subprocess with PYTHONPATH on the code version
measured, so each version uses its own migrations, diagrams and API.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 50
WORKERS = 4
ORDER = {"title": "Бұйрық", "order_type": "other", "body": "Мәтін"}


# ---------------------------------------------------------------- steps run inside a code version


def _setup(url: str, n: int) -> dict[str, Any]:
    """Schema, users, tokens and an order waiting for N acknowledgements; the targets to post to."""
    from sqlalchemy import create_engine, insert, select, text

    from service import create_app
    from service.platform.auth.secrets import token_digest
    from service.platform.inbox import tasks as task_cases
    from service.platform.inbox.instances import start_process
    from service.platform.persistence.migrate import upgrade
    from service.platform.persistence.models import ApiToken, HumanTask, ProcessInstance, User, UserRole
    from service.platform.runtime import Actor

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": tmp, "STORAGE_DIR": tmp}
        )
        runner = app.test_cli_runner()
        assert runner.invoke(args=["demo"]).exit_code == 0
        assert runner.invoke(args=["deploy"]).exit_code == 0
        rt = app.extensions["runtime"]
        with rt.db.session() as session:
            template = session.execute(select(User).where(User.username == "staff1")).scalar_one()
            have = session.execute(
                select(text("count(*)")).select_from(UserRole).where(UserRole.role == "staff")
            ).scalar_one()
            extra = max(0, n - int(have))
            if extra:
                session.execute(
                    insert(User),
                    [
                        {
                            "username": f"ack{i:05d}",
                            "full_name": f"Қызметкер {i}",
                            "password_hash": template.password_hash,
                            "language": "kk",
                            "is_active": True,
                        }
                        for i in range(extra)
                    ],
                )
                ids = session.execute(select(User.id).where(User.username.like("ack%"))).scalars().all()
                session.execute(insert(UserRole), [{"user_id": i, "role": "staff"} for i in ids])
            staff = session.execute(
                select(User.id, User.username)
                .join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role == "staff")
            ).all()
            session.execute(
                insert(ApiToken),
                [
                    {"user_id": uid, "token_hash": token_digest(f"bench-{name}"), "label": "bench"}
                    for uid, name in staff
                ],
            )

        def actor(name: str) -> Actor:
            with rt.db.session() as session:
                user = session.execute(select(User).where(User.username == name)).scalar_one()
                return Actor.of(user.with_roles())

        def open_task(iid: int, bpmn_id: str) -> int:
            with rt.db.session() as session:
                return int(
                    session.execute(
                        select(HumanTask.id).where(
                            HumanTask.instance_id == iid,
                            HumanTask.bpmn_id == bpmn_id,
                            HumanTask.status == "open",
                        )
                    )
                    .scalars()
                    .first()
                )

        iid = start_process(rt, actor("wg_deputy"), "order_drafting")
        task_cases.complete(rt, actor("wg_deputy"), open_task(iid, "Task_draft"), ORDER)
        for who, step in (("lawyer", "Task_legal_review"), ("director", "Task_director_approval")):
            task = open_task(iid, step)
            task_cases.claim(rt, actor(who), task)
            task_cases.complete(rt, actor(who), task, {"decision": "approve"})
        with rt.db.session() as session:
            names = dict(session.execute(select(User.id, User.username)).all())
            old = session.execute(
                select(HumanTask.id, HumanTask.assignee_id).where(
                    HumanTask.instance_id == iid,
                    HumanTask.bpmn_id == "Task_acknowledge",
                    HumanTask.status == "open",
                )
            ).all()
            if old:
                model = "engine multi-instance"
                targets = [(f"bench-{names[a]}", f"/api/v1/tasks/{t}/complete") for t, a in old]
            else:
                from service.platform.persistence.models import Campaign, CampaignTask

                model = "campaign"
                rows = session.execute(
                    select(CampaignTask.id, CampaignTask.user_id)
                    .join(Campaign, Campaign.id == CampaignTask.campaign_id)
                    .where(Campaign.instance_id == iid)
                ).all()
                targets = [(f"bench-{names[u]}", f"/api/v1/campaign-tasks/{t}/respond") for t, u in rows]
            state = session.execute(
                select(ProcessInstance.state_json).where(ProcessInstance.id == iid)
            ).scalar_one()
        rt.db.dispose()
    return {"instance": iid, "model": model, "targets": targets, "state_bytes": len(state)}


def _state(url: str, iid: int) -> dict[str, Any]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        size, status = conn.execute(
            text("select length(state_json), status from process_instance where id = :i"), {"i": iid}
        ).one()
    engine.dispose()
    return {"state_bytes": int(size), "status": str(status)}


# ---------------------------------------------------------------- the driver


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _gunicorn(code: Path, url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "INSTANCE_PATH": tempfile.mkdtemp(prefix="ackbench-"),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen(
        [
            str(gunicorn),
            "-w",
            str(WORKERS),
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "service:create_app()",
        ],
        cwd=code,
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def _cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds of these processes so far (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _session_pids(sid: int) -> list[int]:
    """The gunicorn master and its workers (started in their own session)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid:
                found.append(int(entry.name))
    return found


def _backend_pids(url: str) -> list[int]:
    """The PostgreSQL backends connected to the bench database (gunicorn's pooled connections)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(url)
    with engine.connect() as conn:
        pids = conn.execute(
            text("select pid from pg_stat_activity where datname = :d and pid <> pg_backend_pid()"),
            {"d": make_url(url).database},
        ).scalars()
        found = [int(p) for p in pids]
    engine.dispose()
    return found


def _storm(port: int, targets: list[tuple[str, str]], budget: float) -> dict[str, Any]:
    queue = list(targets)
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []
    start = time.perf_counter()
    stop_at = start + budget

    def client() -> None:
        while True:
            with lock:
                if not queue or time.perf_counter() > stop_at:
                    return
                token, path = queue.pop()
            body = json.dumps({"data": {"acknowledged": True}}).encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}",
                data=body,
                method="POST",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=300) as reply:
                    reply.read()
                ok = True
            except Exception as err:  # counted and reported
                ok = False
                failures.append(str(err)[:100])
            elapsed = time.perf_counter() - t0
            with lock:
                if ok:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    latencies.sort()
    done = len(latencies)
    return {
        "asked": len(targets),
        "done": done,
        "failed": len(failures),
        "failures": failures[:3],
        "wall_s": wall,
        "per_s": done / wall if wall else 0.0,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else None,
        "p95_ms": latencies[int(0.95 * (done - 1))] * 1000 if latencies else None,
        "cost_ms": wall / done * 1000 if done else None,
    }


def _extract(ref: str) -> Path:
    target = Path(tempfile.mkdtemp(prefix=f"ackbench-{ref}-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "compile", "-d", str(target / "translations")],
        check=False,
        capture_output=True,
    )
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="step")
    s = sub.add_parser("setup")
    s.add_argument("--url", required=True)
    s.add_argument("--n", type=int, required=True)
    st = sub.add_parser("state")
    st.add_argument("--url", required=True)
    st.add_argument("--iid", type=int, required=True)
    rp = sub.add_parser("report")
    rp.add_argument("--json", default=str(ROOT / "bench" / "ack_storm.json"))
    rp.add_argument("--section", default=None, help="a new section's title (default: replace SECTION)")
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--sizes", default="100,1000,3000")
    parser.add_argument("--old", default="main", help="git ref of the code before campaigns ('' to skip)")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds a storm may issue requests")
    parser.add_argument("--out", default=str(ROOT / "bench" / "ack_storm.json"))
    parser.add_argument("--label", default="campaigns", help="the working tree's name in the results")
    args = parser.parse_args()
    if args.step == "setup":
        print(json.dumps(_setup(args.url, args.n)))
        return
    if args.step == "state":
        print(json.dumps(_state(args.url, args.iid)))
        return
    if args.step == "report":
        report(Path(args.json), ROOT / "bench" / "RESULTS.md", args.section)
        return
    if not args.url:
        parser.error("--url (PostgreSQL) is required")
    versions: list[tuple[str, Path]] = []
    if args.old:
        versions.append((f"{args.old} ({_rev(args.old)})", _extract(args.old)))
    versions.append((f"{args.label} ({_rev('HEAD')})", ROOT))
    results: list[dict[str, Any]] = []
    for label, code in versions:
        for n in [int(x) for x in args.sizes.split(",")]:
            setup = _in_version(code, "setup", "--url", args.url, "--n", str(n))
            port = _free_port()
            server = _gunicorn(code, args.url, port)
            try:
                load_before = os.getloadavg()[0]
                workers = _session_pids(server.pid)
                server_cpu, client_cpu = _cpu_s(workers), time.process_time()
                storm = _storm(port, [tuple(t) for t in setup["targets"]], args.budget)
                # Backends read at the end: the pool keeps them open, and their CPU counts from their start.
                db_cpu = _cpu_s(_backend_pids(args.url))
                server_cpu = _cpu_s(workers) - server_cpu
                client_cpu = time.process_time() - client_cpu
                done = max(storm["done"], 1)
                storm.update(
                    load=[load_before, os.getloadavg()[0]],
                    server_cpu_ms=server_cpu * 1000 / done,
                    db_cpu_ms=db_cpu * 1000 / done,
                    client_cpu_ms=client_cpu * 1000 / done,
                )
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(30)
            after = _in_version(code, "state", "--url", args.url, "--iid", str(setup["instance"]))
            row = {
                "code": label,
                "model": setup["model"],
                "n": n,
                "state_before": setup["state_bytes"],
                "state_after": after["state_bytes"],
                "instance_status": after["status"],
                **storm,
            }
            print(json.dumps(row), flush=True)
            results.append(row)
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
        " (shared with other agents)",
        "python": platform.python_version(),
        "clients": CLIENTS,
        "gunicorn_workers": WORKERS,
        "budget_s": args.budget,
    }
    Path(args.out).write_text(json.dumps({"meta": meta, "results": results}, indent=1), encoding="utf-8")


def report(path: Path, results_md: Path, section: str | None = None) -> None:
    """Write the run's figures as the "Acknowledgement storm" section of bench/RESULTS.md (or, with
    `section`, as a new section of that title at the end, or in place of one of that title)."""
    run = json.loads(path.read_text(encoding="utf-8"))
    meta, rows = run["meta"], run["results"]
    title = section or SECTION
    lines = [
        title,
        "",
        f"Written by `bench/bench_ack_storm.py` on {meta['date']}; machine: {meta['machine']}, Python "
        f"{meta['python']}; PostgreSQL; {meta['clients']} client threads on the same machine posting "
        f"acknowledgements over HTTP to gunicorn ({meta['gunicorn_workers']} sync workers); each person "
        f"once, with their own token. A storm stops issuing after {meta['budget_s']:.0f} s; rows marked "
        "*partial* are over the acknowledgements finished by then. Both code versions ran in this one run.",
        "",
        "| code | model | staff | acknowledged | per second | p50 ms | p95 ms | wall ms per ack"
        " | state before → after (bytes) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    cpu_rows = []
    for r in rows:
        if "server_cpu_ms" in r:
            total = r["server_cpu_ms"] + r["db_cpu_ms"] + r["client_cpu_ms"]
            server = r["server_cpu_ms"] + r["db_cpu_ms"]
            cpu_rows.append(
                f"| {r['code']} | {r['n']:,} | {r['load'][0]:.1f} → {r['load'][1]:.1f} | "
                f"{r['server_cpu_ms']:.1f} | {r['db_cpu_ms']:.1f} | {r['client_cpu_ms']:.1f} | "
                f"{2000 / server:.0f} | {2000 / total:.0f} |"
            )
        done = f"{r['done']:,}" + ("" if r["done"] == r["asked"] else f" of {r['asked']:,} (*partial*)")
        lines.append(
            f"| {r['code']} | {r['model']} | {r['n']:,} | {done} | {r['per_s']:.1f} | {r['p50_ms']:.0f} | "
            f"{r['p95_ms']:.0f} | {r['cost_ms']:.1f} | {r['state_before']:,} → {r['state_after']:,} |"
        )
    lines += [
        "",
        "Cost per acknowledgement (wall time ÷ acknowledgements) at the largest N ÷ at the smallest:",
        "",
    ]
    for code in dict.fromkeys(r["code"] for r in rows):
        mine = sorted((r for r in rows if r["code"] == code), key=lambda r: r["n"])
        if len(mine) > 1 and mine[0]["cost_ms"] and mine[-1]["cost_ms"]:
            ratio = mine[-1]["cost_ms"] / mine[0]["cost_ms"]
            p50 = mine[-1]["p50_ms"] / mine[0]["p50_ms"]
            lines.append(
                f"- {code}: {ratio:.2f}× ({mine[-1]['n']:,} vs {mine[0]['n']:,} staff); p50 {p50:.2f}×"
            )
    if cpu_rows:
        lines += [
            "",
            "CPU per acknowledgement (ms) during the storm, and the ceiling it sets on 2 cores "
            "(2,000 ms ÷ CPU per acknowledgement): gunicorn's workers, the PostgreSQL backends they used, "
            "the 50 client threads (this process).",
            "",
            "| code | staff | load average before → after | gunicorn | PostgreSQL | clients "
            "| ceiling, server only (/s) | ceiling, everything on 2 cores (/s) |",
            "|---|---:|---|---:|---:|---:|---:|---:|",
            *cpu_rows,
        ]
    text = results_md.read_text(encoding="utf-8")
    start = text.find(title)
    if start >= 0:
        end = text.find("\n## ", start + len(title))
        text = text[:start] + text[end + 1 :] if end >= 0 else text[:start]
    results_md.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


SECTION = "## Acknowledgement storm (issue 16, 5a)"


def _rev(ref: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", ref], check=True, capture_output=True, text=True
    ).stdout.strip()


if __name__ == "__main__":
    main()
