"""The inbox at 10,000, 100,000 and 1,000,000 instances on PostgreSQL (issue 16, benchmark 5b).

Each size is one schema of one database, filled like this: the demo school (school_id 1) and `bpmn/`
deployed, one real `order_drafting` instance per drafter run through the use cases and frozen at each
stage (`bench_seed.capture`), then bulk copies of those rows made by PostgreSQL itself
(`INSERT … SELECT … FROM generate_series`): instances, their inbox rows with candidate roles, and a
notification per instance. The copies follow a fixed mix of stages, so the share of open work is the
same at every size (the backlog grows with the history, which is what a bounded inbox must survive):

- 80 % finished, 4 % at the draft, 6 % waiting for the legal review, 5 % for the director's approval,
  5 % waiting on their acknowledgement campaign (a step that is nobody's task);
- half of the open reviews and approvals are already claimed; the candidate role of half of the
  single-role steps is one of several other roles, so the unclaimed work is spread over many roles;
- assignments go to 2,000 bulk-made people with one role each, and 8 % of them to the measured person,
  the demo `lawyer` (so their lists are full pages at every size); one notification per instance, a
  tenth of them unread, with the same shares.

The copies' `state_json` is a placeholder: the inbox never reads it (it lives in TOAST storage, out of
the rows the inbox reads). Then `VACUUM ANALYZE` (the server runs without autovacuum).

Measured through Flask's test client as the `lawyer`, side by side (each round calls each size once,
in a rotating order, so the machine's drift hits every size alike), p50 and p95 in ms:
`GET /api/v1/tasks?scope=mine`, `GET /api/v1/tasks?scope=roles`, `GET /inbox` (the page, with its
badges) and `GET /` (the landing page: waiting for my roles, oldest first). Every SELECT those
requests send is then run once more under `EXPLAIN ANALYZE` at each size, and the plans' times and
scanned indexes are printed, so a statement that grows with the table shows which one it is.

Target: p50 at 1,000,000 within 1.3× of that at 10,000 for scope=mine, scope=roles and the page.
Prints the figures and records the section "Inbox at a million instances (issue 16, 5b)" of
bench/RESULTS.md. Run it alone: `flock /tmp/bench.lock .venv/bin/python bench/bench_inbox_scale.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]  # the project (for `service`) and the sibling bench modules

from bench_measure import bearer, interleaved, ok, signed_in, stat  # noqa: E402
from bench_seed import Seeded, Snapshot, build, capture  # noqa: E402
from sqlalchemy import Connection, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from service import create_app  # noqa: E402
from service.platform.inbox import unclaimed  # noqa: E402
from service.platform.persistence.migrate import upgrade  # noqa: E402
from service.platform.runtime import Runtime  # noqa: E402

SECTION = "## Inbox at a million instances (issue 16, 5b)"
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/inbox_bench")
SIZES = (10_000, 100_000, 1_000_000)
TARGET = 1.3  # p50 at the largest size ÷ at the smallest, for the three targeted reads
ME = "lawyer"
PEOPLE = 2000  # bulk-made people who hold the rest of the assignments
MY_SHARE = 8  # per cent of assignments and notifications that go to the measured person
STAGES = {"done": 80, "draft": 4, "legal": 6, "director": 5, "ack": 5}  # per cent of instances
OTHER_ROLES = ("deputy_director", "ict", "hr", "wg_chair", "responsible", "wg_member")
SPAN_MINUTES = 3 * 365 * 24 * 60  # instances started over three years
MINE, ROLES, PAGE, LANDING = (
    "GET /api/v1/tasks?scope=mine",
    "GET /api/v1/tasks?scope=roles",
    "GET /inbox (page)",
    "GET / (landing)",
)
TARGETED = (MINE, ROLES, PAGE)


def _url(size: int) -> str:
    if not str(make_url(PG_URL).database).endswith("_bench"):
        sys.exit(f"refusing to reset {PG_URL}: use a database whose name ends with '_bench'")
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3Dinbox_{size}"  # one schema per size


# -- filling ------------------------------------------------------------------------------------


def _templates(seeded: Seeded) -> list[Snapshot]:
    """One snapshot per stage and drafter; "done" is the acknowledgement stage with its campaign over
    (the captured "done" still waits on its campaign: acknowledgements are no longer inbox rows)."""
    out = []
    for stage in STAGES:
        for snap in seeded.snapshots["ack" if stage == "done" else stage]:
            instance, tasks = dict(snap.instance), [(dict(t), list(r)) for t, r in snap.tasks]
            if stage == "done":
                instance.update(status="completed", next_timer_at=None)
                for task, _ in tasks:
                    task["status"] = "completed"
            out.append(Snapshot(stage, instance, tasks))
    return out


def _insert_rows(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    names = ", ".join(columns)
    marks = ", ".join(f":{c}" for c in columns)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), rows)


def _columns(conn: Connection, table: str) -> list[str]:
    found = conn.execute(
        text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
            "AND table_schema = current_schema() ORDER BY ordinal_position"
        ),
        {"t": table},
    )
    return list(found.scalars())


def _select_list(columns: list[str], overrides: dict[str, str], source: str) -> str:
    return ", ".join(overrides.get(c, f"{source}.{c}") for c in columns)


def fill(seeded: Seeded, size: int) -> float:
    """Bulk copies of the templates until the school holds `size` instances; returns the seconds taken."""
    began = time.perf_counter()
    me = seeded.users[ME]
    templates = _templates(seeded)
    with seeded.rt.db.engine.begin() as conn:
        # The copies are valid by construction: skip the per-row foreign-key checks (4 per inbox row).
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        have = int(conn.execute(text("SELECT count(*) FROM process_instance")).scalar_one())
        n = size - have
        # People: 2,000 with one role each (ids contiguous, so a hash picks one by arithmetic).
        first_person = int(conn.execute(text("SELECT max(id) FROM app_user")).scalar_one()) + 1000
        person_roles = ("lawyer", "director", *OTHER_ROLES, "wg_deputy")
        conn.execute(
            text(
                "INSERT INTO app_user (id, school_id, username, full_name, email, password_hash, language,"
                " is_active, created_at) SELECT :p + g, 1, 'bench' || g, 'Bench Person ' || g, NULL,"
                " u.password_hash, 'kk', true, now() FROM generate_series(0, :n - 1) g, app_user u"
                " WHERE u.username = :me"
            ),
            {"p": first_person, "n": PEOPLE, "me": ME},
        )
        conn.execute(
            text(
                "INSERT INTO user_role (school_id, user_id, role)"
                " SELECT 1, :p + g, (CAST(:roles AS text[]))[1 + g % :k] FROM generate_series(0, :n - 1) g"
            ),
            {"p": first_person, "n": PEOPLE, "roles": list(person_roles), "k": len(person_roles)},
        )
        # Templates: the frozen rows, numbered k, and a table of 100 buckets giving the stage mix.
        conn.execute(
            text("CREATE TEMP TABLE t_inst ON COMMIT DROP AS SELECT * FROM process_instance LIMIT 0")
        )
        conn.execute(text("ALTER TABLE t_inst ADD COLUMN k int"))
        conn.execute(text("CREATE TEMP TABLE t_task ON COMMIT DROP AS SELECT * FROM human_task LIMIT 0"))
        conn.execute(text("ALTER TABLE t_task ADD COLUMN k int, ADD COLUMN step int, ADD COLUMN single bool"))
        conn.execute(text("CREATE TEMP TABLE t_role (k int, step int, role text) ON COMMIT DROP"))
        conn.execute(text("CREATE TEMP TABLE t_pick (bucket int, k int) ON COMMIT DROP"))
        _insert_rows(conn, "t_inst", [{**t.instance, "k": k} for k, t in enumerate(templates)])
        _insert_rows(
            conn,
            "t_task",
            [
                {**task, "k": k, "step": step, "single": len(roles) == 1}
                for k, t in enumerate(templates)
                for step, (task, roles) in enumerate(t.tasks)
            ],
        )
        _insert_rows(
            conn,
            "t_role",
            [
                {"k": k, "step": step, "role": role}
                for k, t in enumerate(templates)
                for step, (_, roles) in enumerate(t.tasks)
                for role in roles
            ],
        )
        picks, bucket = [], 0
        for stage, share in STAGES.items():
            ks = [k for k, t in enumerate(templates) if t.stage == stage]
            for i in range(share):
                picks.append({"bucket": bucket, "k": ks[i % len(ks)]})
                bucket += 1
        _insert_rows(conn, "t_pick", picks)
        base_i = int(conn.execute(text("SELECT coalesce(max(id), 0) FROM process_instance")).scalar_one())
        base_t = int(conn.execute(text("SELECT coalesce(max(id), 0) FROM human_task")).scalar_one()) + 10
        # g numbers the copies; h(g) mixes it so that stage, age and people do not follow g.
        params = {"n": n, "bi": base_i, "bt": base_t, "me": me, "p": first_person, "people": PEOPLE,
                  "share": MY_SHARE, "span": SPAN_MINUTES, "others": list(OTHER_ROLES),
                  "nothers": len(OTHER_ROLES)}  # fmt: skip
        copies = (
            "FROM generate_series(1, :n) g"
            " CROSS JOIN LATERAL (SELECT (hashint4(g)::bigint & 2147483647) AS h) x"
            " JOIN t_pick p ON p.bucket = x.h % 100"
        )
        started = "(now() - ((x.h / 100) % :span) * interval '1 minute')"
        inst_cols = _columns(conn, "process_instance")
        done = "t.status = 'completed'"
        conn.execute(
            text(
                f"INSERT INTO process_instance ({', '.join(inst_cols)}) SELECT "
                + _select_list(
                    inst_cols,
                    {
                        "id": ":bi + g",
                        "title": "t.title || ' №' || g",
                        "state_json": "'{}'",
                        "started_at": started,
                        "ended_at": f"CASE WHEN {done} THEN {started} + '6 days'::interval END",
                        "next_timer_at": "NULL",
                        "started_by_id": ":p + (x.h / 7) % :people",
                    },
                    "t",
                )
                + f" {copies} JOIN t_inst t ON t.k = p.k"
            ),
            params,
        )
        # A task's own hash y picks its person; z decides whether an open step is claimed and its role.
        task_copies = (
            f"{copies} JOIN t_task t ON t.k = p.k"
            " CROSS JOIN LATERAL (SELECT (hashint4(g * 8 + t.step)::bigint & 2147483647) AS y,"
            " (hashint4(g * 8 + t.step + 4)::bigint & 2147483647) AS z) w"
        )
        assigned = "(t.assignee_id IS NOT NULL OR (t.status = 'open' AND t.single AND w.z % 2 = 0))"
        person = (
            f"CASE WHEN {assigned} THEN CASE WHEN w.y % 100 < :share THEN :me ELSE :p + w.y % :people END END"
        )
        created = f"{started} + make_interval(days => least(t.step, 3), mins => t.step)"
        task_cols = [c for c in _columns(conn, "human_task")]
        conn.execute(
            text(
                f"INSERT INTO human_task ({', '.join(task_cols)}) SELECT "
                + _select_list(
                    task_cols,
                    {
                        "id": ":bt + g * 8 + t.step",
                        "instance_id": ":bi + g",
                        "assignee_id": person,
                        "completed_by_id": f"CASE WHEN t.status = 'completed' THEN {person} END",
                        "created_at": created,
                        "due_at": f"CASE WHEN t.due_at IS NOT NULL THEN {created} + interval '3 days' END",
                        "completed_at": f"CASE WHEN {done} THEN {created} + '5h'::interval END",
                    },
                    "t",
                )
                + f" {task_copies}"
            ),
            params,
        )
        # Each role row carries its task's open-and-unclaimed state (`inbox/unclaimed.py`).
        conn.execute(
            text(
                "INSERT INTO human_task_role (school_id, task_id, role, unclaimed_created_at)"
                " SELECT 1, :bt + g * 8 + t.step,"
                " CASE WHEN t.single AND w.z % 4 >= 2"
                " THEN (CAST(:others AS text[]))[1 + w.z % :nothers] ELSE r.role END,"
                f" CASE WHEN t.status = 'open' AND NOT {assigned} THEN {created} END"
                f" {task_copies} JOIN t_role r ON r.k = t.k AND r.step = t.step"
            ),
            params,
        )
        stale = unclaimed.drifted(conn, None)
        assert not stale, f"the bulk copy's role rows disagree with their tasks: {stale[:10]}"
        conn.execute(
            text(
                "INSERT INTO notification (school_id, user_id, kind, subject, body, instance_id, created_at,"
                " read_at, email_state, email_attempts)"
                " SELECT 1, CASE WHEN x.h % 97 < :share THEN :me ELSE :p + (x.h / 3) % :people END,"
                f" 'task_assigned', 'task_assigned', '{{}}', :bi + g, {started},"
                f" CASE WHEN (x.h / 11) % 10 > 0 THEN {started} + interval '1 hour' END, 'none', 0 {copies}"
            ),
            params,
        )
        for table in ("app_user", "process_instance", "human_task", "notification"):
            conn.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
    with seeded.rt.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # what autovacuum would have done (off on this server)
    return time.perf_counter() - began


def _app(url: str, workdir: Path) -> Seeded:
    """The app on a database filled by an earlier run (`--reuse`), migrated to this code's head."""
    upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret",
            "INSTANCE_PATH": str(workdir / "inst"),
            "STORAGE_DIR": str(workdir / "storage"),
        }
    )
    rt: Runtime = app.extensions["runtime"]
    with rt.db.engine.connect() as conn:
        users = {name: uid for name, uid in conn.execute(text("SELECT username, id FROM app_user"))}
    with rt.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # A new index needs its statistics, and rows a migration rewrote their visibility map (for
        # index-only scans): what autovacuum would have done (off on this server).
        conn.execute(text("VACUUM ANALYZE"))
    return Seeded(app=app, rt=rt, users=users)


def _instances(url: str) -> int:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM process_instance")).scalar_one())
    except Exception:  # no such schema yet
        return -1
    finally:
        engine.dispose()


def seed(size: int, workdir: Path, reuse: bool) -> tuple[Seeded, float | None]:
    url = _url(size)
    if reuse and _instances(url) == size:
        print(f"[{size:,}] reusing the filled schema", flush=True)
        return _app(url, workdir), None
    print(f"[{size:,}] building…", flush=True)
    seeded = build(url, workdir)
    capture(seeded)
    took = fill(seeded, size)
    print(f"[{size:,}] filled in {took:.0f} s", flush=True)
    return seeded, took


# -- measuring ----------------------------------------------------------------------------------


@dataclass
class Size:
    """One filled schema with its signed-in clients, and what was measured on it."""

    size: int
    seeded: Seeded
    fill_s: float | None
    rows: dict[str, int] = field(default_factory=dict)
    p50: dict[str, float] = field(default_factory=dict)
    p95: dict[str, float] = field(default_factory=dict)
    plans: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.page = signed_in(self.seeded, ME)
        self.api = self.seeded.app.test_client()
        self.auth = bearer(self.seeded, ME)

    def steps(self) -> dict[str, Callable[[int], Any]]:
        api, auth = self.api, self.auth
        return {
            MINE: lambda _: ok(api.get("/api/v1/tasks?scope=mine", headers=auth)),
            ROLES: lambda _: ok(api.get("/api/v1/tasks?scope=roles", headers=auth)),
            PAGE: lambda _: ok(self.page.get("/inbox")),
            LANDING: lambda _: ok(self.page.get("/")),
        }

    def count_rows(self) -> None:
        me = self.seeded.users[ME]
        queries = {
            "instances": "SELECT count(*) FROM process_instance",
            "inbox rows": "SELECT count(*) FROM human_task",
            "open": "SELECT count(*) FROM human_task WHERE status = 'open'",
            "open unclaimed": "SELECT count(*) FROM human_task WHERE status = 'open' AND assignee_id IS NULL",
            "mine open": f"SELECT count(*) FROM human_task WHERE status = 'open' AND assignee_id = {me}",
            "my roles' unclaimed": "SELECT count(*) FROM human_task t WHERE status = 'open' AND assignee_id"
            " IS NULL AND EXISTS (SELECT 1 FROM human_task_role r WHERE r.task_id = t.id"
            f" AND r.role = '{ME}')",
            "my notifications unread": "SELECT count(*) FROM notification"
            f" WHERE user_id = {me} AND read_at IS NULL",
        }
        with self.seeded.rt.db.engine.connect() as conn:
            self.rows = {k: int(conn.execute(text(q)).scalar_one()) for k, q in queries.items()}


@contextmanager
def statements(size: Size) -> Iterator[list[tuple[str, Any]]]:
    """The SELECTs the app sends meanwhile, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and not many:
            seen.append((statement, parameters))

    engine = size.seeded.rt.db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def explain(size: Size, name: str) -> None:
    """Each SELECT of one request run again under EXPLAIN ANALYZE: its time and how it reads."""
    with statements(size) as seen:
        size.steps()[name](0)
    found = []
    with size.seeded.rt.db.engine.connect() as conn:
        for statement, parameters in seen:
            out = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {statement}", parameters)
            doc = out.scalar_one()
            doc = json.loads(doc) if isinstance(doc, str) else doc
            top = doc[0]
            nodes = list(_nodes(top["Plan"]))
            reads = [
                f"{n['Node Type']} {n.get('Index Name') or n.get('Relation Name', '')}".strip()
                for n in nodes
                if "Scan" in n["Node Type"] and (n.get("Relation Name") or n.get("Index Name"))
            ]
            found.append(
                {
                    "sql": " ".join(statement.split()),
                    "ms": float(top["Execution Time"]),
                    "buffers": int(top["Plan"].get("Shared Hit Blocks", 0))
                    + int(top["Plan"].get("Shared Read Blocks", 0)),
                    "reads": reads,
                    "seq": any(n["Node Type"] == "Seq Scan" for n in nodes),
                }
            )
        conn.rollback()
    size.plans[name] = found


def measure(sizes: list[Size], reps: int) -> None:
    for name in (MINE, ROLES, PAGE, LANDING):
        steps = [s.steps()[name] for s in sizes]
        for s, samples in zip(sizes, interleaved(steps, reps), strict=True):
            st = stat(name, samples)
            s.p50[name], s.p95[name] = st.median_ms, st.p95_ms
        print(
            f"  {name}: " + ", ".join(f"{s.size:,}: {s.p50[name]:.2f} / {s.p95[name]:.2f}" for s in sizes),
            flush=True,
        )
    for s in sizes:
        for name in (MINE, ROLES, PAGE, LANDING):
            explain(s, name)


# -- reporting ----------------------------------------------------------------------------------


def _sh(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=False).stdout.strip()


def _label(sql: str) -> str:
    """A statement's gist: the table it reads and the first conditions."""
    lower = sql.lower()
    start = lower.find(" from ")
    gist = sql[start + 6 :] if start >= 0 else sql
    return (gist[:110] + "…") if len(gist) > 110 else gist


def report(sizes: list[Size], meta: dict[str, Any], results_md: Path) -> list[str]:
    small, large = sizes[0], sizes[-1]
    lines = [
        SECTION,
        "",
        f"Written by `bench/bench_inbox_scale.py` on {meta['date']} (code {meta['code']}); machine: "
        f"{meta['machine']}, Python {meta['python']}, PostgreSQL {meta['postgres']} on the same machine "
        f"(autovacuum off; the benchmark runs VACUUM ANALYZE after filling); 1-minute load average "
        f"{meta['load_min']:.1f}–{meta['load_max']:.1f} while measuring. One school (school_id 1); each "
        f"size is a schema filled by `INSERT … SELECT … generate_series` from real instances frozen at "
        f"each stage (80 % finished, 20 % open at draft, legal review, approval or acknowledgement; half "
        f"of the open steps claimed; {PEOPLE:,} people and {len(OTHER_ROLES) + 3} roles; the measured "
        f"`{ME}` holds {MY_SHARE} % of assignments and notifications). Flask's test client, no network; "
        f"{meta['reps']} calls per read and size, round-robin across the sizes after 3 warm-up calls.",
        "",
        "| rows | " + " | ".join(f"{s.size:,}" for s in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for key in small.rows:
        lines.append(f"| {key} | " + " | ".join(f"{s.rows[key]:,}" for s in sizes) + " |")
    fills = ", ".join(f"{s.size:,}: {s.fill_s:.0f} s" for s in sizes if s.fill_s is not None)
    if fills:
        lines += ["", f"Filling took {fills}."]
    lines += [
        "",
        "| p50 / p95 ms | "
        + " | ".join(f"{s.size:,}" for s in sizes)
        + f" | p50 {large.size:,} ÷ {small.size:,} | target |",
        "|---|" + "---:|" * (len(sizes) + 2),
    ]
    for name in (MINE, ROLES, PAGE, LANDING):
        ratio = large.p50[name] / small.p50[name]
        verdict = ("met" if ratio <= TARGET else "**missed**") if name in TARGETED else "(not a target)"
        lines.append(
            f"| {name} | "
            + " | ".join(f"{s.p50[name]:.2f} / {s.p95[name]:.2f}" for s in sizes)
            + f" | **{ratio:.2f}×** | ≤ {TARGET}×: {verdict} |"
        )
    lines += [
        "",
        "Every SELECT of each request, run once more under `EXPLAIN ANALYZE` (execution ms at each size; "
        f"what it reads at {large.size:,}):",
        "",
        "| request | statement (from …) | " + " | ".join(f"{s.size:,}" for s in sizes) + " | reads |",
        "|---|---|" + "---:|" * len(sizes) + "---|",
    ]
    for name in (MINE, ROLES, PAGE, LANDING):
        for i, plan in enumerate(large.plans[name]):
            times = [f"{s.plans[name][i]['ms']:.2f}" if i < len(s.plans[name]) else "–" for s in sizes]
            reads = (", ".join(dict.fromkeys(plan["reads"])) or "–") + f" ({plan['buffers']} buffers)"
            label = _label(plan["sql"]).replace("|", "\\|")
            lines.append(f"| {name} | `{label}` | " + " | ".join(times) + f" | {reads} |")
    text_md = results_md.read_text(encoding="utf-8") if results_md.exists() else ""
    start = text_md.find(SECTION)
    if start >= 0:
        end = text_md.find("\n## ", start + len(SECTION))
        text_md = text_md[:start] + text_md[end + 1 :] if end >= 0 else text_md[:start]
    results_md.write_text(text_md.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep schemas already filled to their size")
    parser.add_argument("--no-report", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-inbox-"))
    sizes = []
    for n in (int(s) for s in args.sizes.split(",")):
        seeded, took = seed(n, workdir / str(n), args.reuse)
        sizes.append(Size(n, seeded, took))
        sizes[-1].count_rows()
        print(f"[{n:,}] {sizes[-1].rows}", flush=True)
    load = [os.getloadavg()[0]]
    print("measuring (p50 / p95 ms)…", flush=True)
    measure(sizes, args.reps)
    load.append(os.getloadavg()[0])
    with sizes[0].seeded.rt.db.engine.connect() as conn:
        postgres = str(conn.execute(text("SHOW server_version")).scalar_one()).split()[0]
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "code": _sh("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD")
        + (
            " + uncommitted changes"
            if _sh("git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no")
            else ""
        ),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared with other sessions)",
        "python": platform.python_version(),
        "postgres": postgres,
        "load_min": min(load),
        "load_max": max(load),
        "reps": args.reps,
    }
    results_md = HERE / "RESULTS.md"
    lines = report(sizes, meta, results_md if not args.no_report else workdir / "RESULTS.md")
    print("\n".join(lines))
    for s in sizes:
        s.seeded.rt.db.dispose()


if __name__ == "__main__":
    main()
