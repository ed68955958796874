"""Benchmark fixtures: a fresh app on SQLite or PostgreSQL, filled with realistic order_drafting instances."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import bench_floor
from flask import Flask
from sqlalchemy import Table, create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from service import create_app
from service.platform.clock import utcnow
from service.platform.inbox import instances, queries, tasks
from service.platform.persistence.migrate import upgrade
from service.platform.persistence.models import HumanTask, HumanTaskRole, ProcessInstance, User
from service.platform.runtime import Actor, Runtime

PROCESS = "order_drafting"
DRAFTERS = ("wg_deputy", "wg_chair", "responsible")
DRAFT = {
    "title": "Жасанды интеллект жөніндегі жұмыс тобы",
    "order_type": "working_group",
    "body": "Жұмыс тобының құрамы бекітілсін. " * 20,
    "basis": "Мектеп жарғысы, 4-тармақ",
}
# Share of copied instances per stage; "ack" instances carry one acknowledgement task per staff member.
STAGE_MIX = {"draft": 0.15, "legal": 0.20, "director": 0.15, "ack": 0.15, "done": 0.35}
CLAIM_SHARE = 0.5  # of open legal reviews / director approvals already claimed by the lawyer / director
_TASK_COLUMNS = (
    "process_id",
    "engine_task_id",
    "bpmn_id",
    "name",
    "role",
    "form_key",
    "assignee_id",
    "assigned_directly",
    "status",
    "title_i18n",
    "due_at",
    "completed_by_id",
    "data_json",
)


@dataclass
class Snapshot:
    """One real instance frozen at a stage: its row and its inbox rows (with candidate roles)."""

    stage: str
    instance: dict[str, Any]
    tasks: list[tuple[dict[str, Any], list[str]]]


@dataclass
class Seeded:
    app: Flask
    rt: Runtime
    users: dict[str, int]
    snapshots: dict[str, list[Snapshot]] = field(default_factory=dict)
    copies: int = 0


def _reset_postgres(url: str) -> None:
    """Create the database if missing; drop and recreate the schema named by the URL's search_path."""
    parsed = make_url(url)
    options = str(parsed.query.get("options", ""))
    schema = options.split("search_path=", 1)[1].split()[0] if "search_path=" in options else "public"
    admin = create_engine(parsed.set(database="postgres", query={}), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("select 1 from pg_database where datname = :n"), {"n": parsed.database})
        if not exists.scalar():
            conn.execute(text(f'create database "{parsed.database}"'))
    admin.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'drop schema if exists "{schema}" cascade'))
        conn.execute(text(f'create schema "{schema}"'))
    engine.dispose()


def build(url: str, workdir: Path) -> Seeded:
    """A migrated, empty database with the demo users and bpmn/ deployed, and the app on it."""
    if url.startswith("postgresql"):
        _reset_postgres(url)
    upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret",
            "INSTANCE_PATH": str(workdir / "inst"),
            "STORAGE_DIR": str(workdir / "storage"),
        }
    )
    bench_floor.install(app)  # before the first request, as Flask requires
    runner = app.test_cli_runner()
    for command in (["demo"], ["deploy"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    rt: Runtime = app.extensions["runtime"]
    with rt.db.session() as session:
        users = {u.username: u.id for u in session.execute(select(User)).scalars()}
    return Seeded(app=app, rt=rt, users=users)


def actor(rt: Runtime, username: str) -> Actor:
    with rt.db.session() as session:
        user = queries.user_by_username(session, username)
        assert user is not None, username
        return Actor.of(user)


def _freeze(rt: Runtime, stage: str, instance_id: int) -> Snapshot:
    with rt.db.session() as session:
        row = session.execute(
            select(ProcessInstance.__table__).where(ProcessInstance.id == instance_id)
        ).one()
        task_rows = (
            session.execute(
                select(HumanTask.__table__).where(HumanTask.instance_id == instance_id).order_by(HumanTask.id)
            )
            .mappings()
            .all()
        )
        frozen = []
        for task in task_rows:
            roles = session.execute(select(HumanTaskRole.role).where(HumanTaskRole.task_id == task["id"]))
            frozen.append((dict(task), list(roles.scalars())))
    return Snapshot(stage=stage, instance=dict(row._mapping), tasks=frozen)


def _open(rt: Runtime, instance_id: int, bpmn_id: str) -> list[HumanTask]:
    return [t for t in _open_all(rt, instance_id) if t.bpmn_id == bpmn_id]


def _open_all(rt: Runtime, instance_id: int) -> list[HumanTask]:
    with rt.db.session() as session:
        return queries.open_tasks_of(session, instance_id)


def capture(seeded: Seeded) -> None:
    """Run one real instance per drafter through the use cases, freezing it at every stage."""
    rt = seeded.rt
    people = {name: actor(rt, name) for name in seeded.users}
    for drafter in DRAFTERS:
        iid = instances.start_process(rt, people[drafter], PROCESS, {"title": DRAFT["title"]})
        seeded.snapshots.setdefault("draft", []).append(_freeze(rt, "draft", iid))
        steps = [
            ("Task_draft", drafter, DRAFT, "legal"),
            ("Task_legal_review", "lawyer", {"decision": "approve", "comment": "ok"}, "director"),
            ("Task_director_approval", "director", {"decision": "approve"}, "ack"),
        ]
        for bpmn_id, who, data, stage in steps:
            (task,) = _open(rt, iid, bpmn_id)
            tasks.complete(rt, people[who], task.id, data)
            seeded.snapshots.setdefault(stage, []).append(_freeze(rt, stage, iid))
        for task in _open(rt, iid, "Task_acknowledge"):
            holder = next(name for name, uid in seeded.users.items() if uid == task.assignee_id)
            tasks.complete(rt, people[holder], task.id, {"acknowledged": True})
        assert not _open_all(rt, iid)
        seeded.snapshots.setdefault("done", []).append(_freeze(rt, "done", iid))


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def _stage_of(rng: random.Random) -> str:
    return rng.choices(list(STAGE_MIX), weights=list(STAGE_MIX.values()))[0]


def _copy(
    seeded: Seeded, snap: Snapshot, rng: random.Random, number: int
) -> tuple[dict[str, Any], list[Any]]:
    now = utcnow()
    started = now - timedelta(minutes=rng.randint(60, 365 * 24 * 60))
    instance = {k: v for k, v in snap.instance.items() if k != "id"}
    instance.update(
        title=f"{DRAFT['title']} №{number}",
        started_at=started,
        ended_at=started + timedelta(days=6) if snap.instance["ended_at"] else None,
        next_timer_at=started + timedelta(days=3) if snap.instance["next_timer_at"] else None,
    )
    claim = rng.random() < CLAIM_SHARE
    rows = []
    for step, (task, roles) in enumerate(snap.tasks):
        row = {k: task[k] for k in _TASK_COLUMNS}
        created = started + timedelta(days=min(step, 3), minutes=step)
        row.update(
            created_at=created,
            due_at=created + timedelta(days=3) if task["due_at"] else None,
            completed_at=created + timedelta(hours=5) if task["completed_at"] else None,
        )
        if (
            claim
            and row["status"] == "open"
            and row["assignee_id"] is None
            and roles in (["lawyer"], ["director"])
        ):
            row["assignee_id"] = seeded.users[roles[0]]
        rows.append((row, roles))
    return instance, rows


def _unclaimed_since(task: dict[str, Any]) -> datetime | None:
    return task["created_at"] if task["status"] == "open" and task["assignee_id"] is None else None


def fill(seeded: Seeded, target: int, batch: int = 1000, seed: int = 7) -> None:
    """Bulk-insert copies of the snapshots until the database holds `target` instances."""
    rng = random.Random(seed + target)
    db = seeded.rt.db
    with db.session() as session:
        have = session.execute(select(func.count()).select_from(ProcessInstance)).scalar_one()
    while have < target:
        n = min(batch, target - have)
        picked = [rng.choice(seeded.snapshots[_stage_of(rng)]) for _ in range(n)]
        copies = [_copy(seeded, snap, rng, have + i + 1) for i, snap in enumerate(picked)]
        with db.session() as session:
            ids = (
                session.execute(
                    insert(_table(ProcessInstance)).returning(
                        ProcessInstance.id, sort_by_parameter_order=True
                    ),
                    [inst for inst, _ in copies],
                )
                .scalars()
                .all()
            )
            task_rows = [
                {**row, "instance_id": iid}
                for iid, (_, rows) in zip(ids, copies, strict=True)
                for row, _ in rows
            ]
            task_ids = (
                session.execute(
                    insert(_table(HumanTask)).returning(HumanTask.id, sort_by_parameter_order=True),
                    task_rows,
                )
                .scalars()
                .all()
            )
            roles = [(row, r) for _, rows in copies for row, r in rows]
            # Each role row carries its task's open-and-unclaimed state, as the projection writes it.
            role_rows = [
                {"task_id": tid, "role": role, "unclaimed_created_at": _unclaimed_since(row)}
                for tid, (row, rs) in zip(task_ids, roles, strict=True)
                for role in rs
            ]
            session.execute(insert(_table(HumanTaskRole)), role_rows)
        have += n
        seeded.copies += n
    if db.is_postgres:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # Steady state as autovacuum leaves it: statistics, and a visibility map for index-only scans.
            conn.execute(text("vacuum analyze"))


def counts(seeded: Seeded) -> tuple[int, int, int]:
    """(instances, inbox rows, open inbox rows)."""
    with seeded.rt.db.session() as session:
        inst = session.execute(select(func.count()).select_from(ProcessInstance)).scalar_one()
        rows = session.execute(select(func.count()).select_from(HumanTask)).scalar_one()
        open_rows = session.execute(
            select(func.count()).select_from(HumanTask).where(HumanTask.status == "open")
        ).scalar_one()
    return int(inst), int(rows), int(open_rows)
