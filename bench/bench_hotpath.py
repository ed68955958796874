"""The hot path under cProfile: one API instance start and one API task completion, SQLite and PostgreSQL.

Prints statements per request, time per request and where the time goes (by library, top service
functions), as Markdown for bench/RESULTS.md. Usage:

    .venv/bin/python bench/bench_hotpath.py [postgresql+psycopg://postgres@127.0.0.1:5432/bench_perf_hot]
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # the project (for `service`) and the sibling bench modules

from bench_measure import OPERATORS  # noqa: E402
from bench_profile import Profile, profile, sql_trace  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402

from service import create_app  # noqa: E402
from service.platform.auth import accounts  # noqa: E402
from service.platform.engine import runner  # noqa: E402
from service.platform.forms.validation import clean_submission  # noqa: E402
from service.platform.persistence.migrate import upgrade  # noqa: E402
from service.platform.persistence.models import (  # noqa: E402
    HumanTask,
    ProcessDefinition,
    ProcessInstance,
    User,
)
from service.platform.runtime import Actor  # noqa: E402

BODY = {"data": {"title": "Бенчмарк", "order_type": "other", "body": "Мәтін"}}
REPS = int(os.environ.get("HOT_REPS", "60"))
LATENCY: list[tuple[str, dict[str, float], float]] = []


def _fresh_pg(url: str) -> None:
    admin, name = url.rsplit("/", 1)
    assert name.startswith("bench_perf"), "only bench_perf* databases"
    eng = create_engine(admin + "/postgres", isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    eng.dispose()


def run(label: str, url: str, tmp: str) -> list[tuple[str, Profile, int]]:
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "INSTANCE_PATH": tmp, "STORAGE_DIR": tmp})
    cli = app.test_cli_runner()
    assert cli.invoke(args=["demo"]).exit_code == 0
    assert cli.invoke(args=["deploy"]).exit_code == 0
    rt = app.extensions["runtime"]
    with rt.db.session() as s:
        user = s.execute(select(User).where(User.username == "wg_deputy")).scalar_one()
        actor = Actor.of(user.with_roles())
    token = accounts.create_token(rt, actor, "wg_deputy", "bench")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def start(_: int = 0) -> int:
        reply = client.post(
            "/api/v1/processes/order_drafting/instances", json={"data": {"title": "B"}}, headers=headers
        )
        assert reply.status_code == 201, reply.get_data(as_text=True)
        return int(reply.get_json()["id"])

    def draft_task(iid: int) -> int:
        with rt.db.session() as s:
            return int(
                s.execute(
                    select(HumanTask.id).where(HumanTask.instance_id == iid, HumanTask.status == "open")
                ).scalar_one()
            )

    tasks: list[int] = []

    def complete(i: int) -> None:
        reply = client.post(f"/api/v1/tasks/{tasks[i]}/complete", json=BODY, headers=headers)
        assert reply.status_code == 200, reply.get_data(as_text=True)

    for _ in range(5):  # warm caches
        tasks.append(draft_task(start()))
        complete(len(tasks) - 1)
    out = []
    with sql_trace(rt.db.engine) as trace:
        start()
    out.append(
        (
            f"POST start instance (API) — {label}",
            profile("start", start, REPS, rt.db.engine),
            sum(int(n) for n, _ in trace.statements.values()),
        )
    )
    tasks.clear()
    tasks.extend(draft_task(start()) for _ in range(REPS + 1))
    with sql_trace(rt.db.engine) as trace:
        complete(REPS)
    out.append(
        (
            f"POST complete draft task (API) — {label}",
            profile("complete", complete, REPS, rt.db.engine),
            sum(int(n) for n, _ in trace.statements.values()),
        )
    )
    # Without the profiler, (d): API start, API completion and the bare engine cycle (load the draft
    # state, complete the draft task, save) on the same diagram, one call of each per round so the
    # machine's drifting speed hits all three alike.
    tasks.clear()
    tasks.extend(draft_task(start()) for _ in range(REPS))
    spec_json, state_json, engine_id, data = _engine_inputs(rt, tasks[0])
    samples: dict[str, list[float]] = {"start": [], "complete": [], "engine": []}
    steps: dict[str, Callable[[int], Any]] = {
        "start": start,
        "complete": complete,
        "engine": lambda _: runner.complete_task(spec_json, state_json, engine_id, data, OPERATORS),
    }
    for i in range(REPS):
        for name, step in steps.items():
            t0 = time.perf_counter()
            step(i)
            samples[name].append((time.perf_counter() - t0) * 1000)
    medians = {name: statistics.median(v) for name, v in samples.items()}
    LATENCY.append((label, medians, os.getloadavg()[0]))
    rt.db.engine.dispose()
    return out


def _engine_inputs(rt: Any, task_id: int) -> tuple[str, str, str, dict[str, Any]]:
    """Spec, the instance's state with its draft task ready, that task's engine id and the clean data."""
    with rt.db.session() as session:
        task = session.get(HumanTask, task_id)
        instance = session.get(ProcessInstance, task.instance_id)
        definition = session.get(ProcessDefinition, instance.definition_id)
        forms = json.loads(definition.forms_json)
        schema = forms[task.form_key]
        clean = clean_submission(schema, BODY["data"])
        cleared = {
            k: None
            for k, p in schema.get("properties", {}).items()
            if k not in clean and not p.get("readOnly")
        }
        return definition.spec_json, instance.state_json, task.engine_task_id, {**cleared, **clean}


def _markdown(what: str, p: Profile, statements: int) -> str:
    lines = [
        f"#### {what}",
        "",
        f"{statements} SQL statements per request; {p.total_ms:.1f} ms each under cProfile.",
        "",
    ]
    lines += [f"- {share * 100:.1f}% {bucket}" for bucket, share in p.buckets]
    lines += ["", "| service function | calls | self ms | cumulative ms |", "|---|---:|---:|---:|"]
    lines += [f"| `{f}` | {n} | {s:.2f} | {c:.2f} |" for f, n, s, c in p.top_service[:8]]
    lines += ["", "| statement | calls | ms |", "|---|---:|---:|"]
    lines += [f"| `{s}` | {n:g} | {t:.2f} |" for s, n, t in p.sql]
    return "\n".join(lines) + "\n"


def main() -> None:
    results: list[Any] = []
    with tempfile.TemporaryDirectory() as tmp:
        results += run("sqlite", f"sqlite:///{tmp}/hot.db", tmp)
    if len(sys.argv) > 1:
        _fresh_pg(sys.argv[1])
        with tempfile.TemporaryDirectory() as tmp:
            results += run("postgres", sys.argv[1], tmp)
    print(f"<!-- load average at the end {os.getloadavg()} -->")
    print("| median ms (load) | API start | API complete | engine cycle | complete ÷ engine |")
    print("|---|---:|---:|---:|---:|")
    for label, m, load in LATENCY:
        print(
            f"| {label} ({load:.1f}) | {m['start']:.2f} | {m['complete']:.2f} | {m['engine']:.2f} | "
            f"{m['complete'] / m['engine']:.1f}× |"
        )
    print()
    for what, p, n in results:
        print(_markdown(what, p, n))


if __name__ == "__main__":
    main()
