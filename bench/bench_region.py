"""Region scale (issue 20, benchmark 5): 300 schools × 100 people on PostgreSQL, a day's work by 200 clients.

One region deployment (REGION_MODE=1) on a fresh PostgreSQL database: gunicorn (`--web` sync processes,
4 by default) and `--workers` `flask worker` processes (2), as docker-compose.yml runs them. Schools are
seeded in bulk: one school gets the shipped diagrams through `deploy`, the others get copies of its
definition rows; people, roles and API tokens are inserted in batches with one password hash computed
once. Each school then has one order taken through drafting, review and approval by the use cases, so
its ~100 people each have an acknowledgement waiting (the campaign the clients answer).

Then, at `--schools` (30) and again after growing to `--grow-to` (300), in the same run:

1. a quiet probe: `--probe` sequential requests each of a person's inbox (GET /api/v1/tasks), of the
   director's school-wide listing (GET /api/v1/tasks?scope=all&status=any; the dashboard of a school)
   and of the region's dashboard (GET /api/v1/region/dashboard, every school's counts),
   over the `--schools` newest schools (each holding only its seeded work, so both probes read schools
   alike and differ only in how many schools share the database), with nothing else running;
2. two worker passes over every school, timed in this process (`timers.worker.worker_pass`): the first
   writes the day's digests of the new schools' people, the second finds nothing due;
3. after 10 s of unmeasured work over every school (a running region's working set is in memory),
   the day's work: `--clients` client threads for `--seconds`, each loop one operation on a random school
   (weights in `MIX`): inbox reads, acknowledgements, order drafts started and completed, the lawyer's
   review and the director's approval of drafts the clients made (each draft is owned by one client at
   a time, so no two clients ever race for one task: every non-2xx answer is an error).

Printed and written to bench/out/region.json, then to bench/RESULTS.md: operations per second, p50/p95 per
operation, errors, and the ratios 300 ÷ 30 of the probe and of each operation's p95.

    .venv/bin/python bench/bench_region.py --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_region
    # while developing: --schools 10 --grow-to 20 --users 20 --clients 20 --seconds 15 --probe 30
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_ack_storm  # noqa: E402
from bench_ack_storm import _free_port, _gunicorn, _rev  # noqa: E402

ROOT = HERE.parent
LABELS = {
    "inbox": "inbox (a person's tasks)",
    "dashboard": "school listing (the director's)",
    "region": "region dashboard (region_admin)",
}
SECTION = "## Region scale: 300 schools × 100 people, 200 clients (issue 20, 5)"
ORDER = {"title": "Бұйрық", "order_type": "other", "body": "Мәтін"}
# One loop of a client: what a school's day is made of, by weight (reads dominate, as in a real day).
MIX = {
    "inbox": 45,  # a person opens their inbox (tasks + acknowledgements waiting)
    "acknowledge": 25,  # a person acknowledges the registered order (a campaign task)
    "draft": 12,  # the deputy starts an order draft and completes the draft step (start + complete)
    "review": 8,  # the lawyer claims a draft's legal review and approves it (claim + complete)
    "approve": 3,  # the director claims and approves a reviewed order: registered, 100 acknowledgements
    "dashboard": 6,  # the director's school-wide listing
    "region": 1,  # the region's administrator opens the region's dashboard (every school's counts)
}


# ---------------------------------------------------------------- seeding (in this process)


def _school_code(i: int) -> str:
    return f"s{i:03d}"


def _people(n: int) -> list[tuple[str, str, list[str]]]:
    """A school's n people: the demo accounts (every role) and then more staff."""
    from service.platform.auth.demo import demo_accounts

    base = demo_accounts()
    extra = [(f"staff{i}", f"Қызметкер {i}", ["staff"]) for i in range(11, 11 + max(0, n - len(base)))]
    return (base + extra)[: max(n, 10)]  # the first ten hold every role a day's work needs


class Region:
    """The benchmark's database and its application, seeded school by school."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine, text

        from service import create_app
        from service.platform.auth.demo import DEMO_PASSWORD
        from service.platform.auth.secrets import hash_password
        from service.platform.persistence.migrate import upgrade

        admin, name = url.rsplit("/", 1)
        # It drops the database: only one named for benchmarks (a helper's own `<worktree>_bench` too).
        assert name.startswith("bench_region") or name.endswith("_bench"), "only bench_region* or *_bench"
        engine = create_engine(admin + "/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        upgrade(url)
        tmp = tempfile.mkdtemp(prefix="regionbench-")
        self.app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench",
                "INSTANCE_PATH": tmp,
                "STORAGE_DIR": tmp,
                "REGION_MODE": True,
            }
        )
        self.rt = self.app.extensions["runtime"]
        self.password_hash = hash_password(DEMO_PASSWORD)  # once: 30,000 hashes would take minutes
        self.schools: list[tuple[int, str]] = []  # (id, code) in order
        self.template: int | None = None
        self._region_admin()

    def _region_admin(self) -> None:
        """The region's tenant and its administrator (token `bench-region_admin`), for the dashboard."""
        from sqlalchemy import insert

        from service.platform.auth.secrets import token_digest
        from service.platform.persistence import tenancy
        from service.platform.persistence.models import ApiToken, School, User, UserRole

        with tenancy.all_schools(), self.rt.db.session() as session:
            region = session.execute(
                insert(School).returning(School.id),
                [
                    {
                        "code": "region",
                        "kind": "region",
                        "name_kk": "Облыс",
                        "name_ru": "",
                        "timezone": "Asia/Almaty",
                    }
                ],
            ).scalar_one()
            user = {"school_id": region, "username": "region_admin", "full_name": "Әсел Нұрланқызы"}
            uid = session.execute(
                insert(User).returning(User.id),
                [{**user, "password_hash": self.password_hash, "language": "kk"}],
            ).scalar_one()
            session.execute(
                insert(UserRole),
                [
                    {"school_id": region, "user_id": uid, "role": r}
                    for r in ("region_admin", "admin", "staff")
                ],
            )
            token = {"school_id": region, "user_id": uid, "token_hash": token_digest("bench-region_admin")}
            session.execute(insert(ApiToken), [{**token, "label": "b"}])

    def grow(self, to: int, people: int) -> dict[str, float]:
        """Schools up to `to`, each with `people` people, the diagrams, the features' demo data (the
        Regulation, the year's plan) and one order to acknowledge."""
        from service.platform.persistence import tenancy

        t0 = time.perf_counter()
        new = [_school_code(i) for i in range(len(self.schools) + 1, to + 1)]
        ids = self._insert_schools(new)
        self._insert_people(ids, people)
        self._deploy(ids)
        t1 = time.perf_counter()
        for school_id, code in ids:
            with tenancy.acting_as(school_id):
                for load in self.rt.features.all("demo_data"):
                    load(self.rt)  # the Regulation's text and the year's plan: what the dashboard counts
            self._registered_order(school_id, code)
        t2 = time.perf_counter()
        self.schools += ids
        self._analyze()
        return {"bulk_s": t1 - t0, "orders_s": t2 - t1}

    def _analyze(self) -> None:
        """What autovacuum does for a region that grows a school at a time, after the bulk inserts:
        planner statistics, hint bits and the visibility map (this machine's server runs with autovacuum
        off; without it the planner guessed at tables of 30,000 rows it had never measured, and the
        first reads of the new rows wrote their hint bits: the first run's probe doubled for that alone)."""
        from sqlalchemy import text

        with self.rt.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))

    def _insert_schools(self, codes: list[str]) -> list[tuple[int, str]]:
        from sqlalchemy import insert

        from service.platform.persistence import tenancy
        from service.platform.persistence.models import School

        rows = [
            {
                "code": c,
                "kind": "school",
                "name_kk": f"№{c[1:]} мектеп",
                "name_ru": "",
                "timezone": "Asia/Almaty",
            }
            for c in codes
        ]
        with tenancy.all_schools(), self.rt.db.session() as session:
            got = session.execute(insert(School).returning(School.id, School.code), rows).all()
        return sorted((int(i), str(c)) for i, c in got)

    def _insert_people(self, schools: list[tuple[int, str]], n: int) -> None:
        from sqlalchemy import insert

        from service.platform.auth.secrets import token_digest
        from service.platform.persistence import tenancy
        from service.platform.persistence.models import ApiToken, User, UserRole

        people = _people(n)
        for school_id, code in schools:
            with tenancy.acting_as(school_id), self.rt.db.session() as session:
                users = [
                    {
                        "school_id": school_id,
                        "username": f"{code}.{login}",
                        "full_name": name,
                        "password_hash": self.password_hash,
                        "language": "kk",
                        "is_active": True,
                    }
                    for login, name, _ in people
                ]
                got = dict(session.execute(insert(User).returning(User.username, User.id), users).all())
                roles = [
                    {"school_id": school_id, "user_id": got[f"{code}.{login}"], "role": role}
                    for login, _, rs in people
                    for role in rs
                ]
                session.execute(insert(UserRole), roles)
                tokens = [
                    {
                        "school_id": school_id,
                        "user_id": uid,
                        "token_hash": token_digest(f"bench-{name}"),
                        "label": "b",
                    }
                    for name, uid in got.items()
                ]
                session.execute(insert(ApiToken), tokens)

    def _deploy(self, schools: list[tuple[int, str]]) -> None:
        """The shipped diagrams: deployed once through `deploy`, then copied row by row in SQL."""
        from sqlalchemy import text

        from service.platform.persistence import tenancy
        from service.platform.persistence.models import ProcessDefinition
        from service.platform.processes import deploy
        from service.platform.runtime import Actor

        if self.template is None:
            self.template = schools[0][0]
            with tenancy.acting_as(self.template):
                deploy.deploy_directory(self.rt, Actor.system())
            schools = schools[1:]
        if not schools:
            return
        columns = [c.name for c in ProcessDefinition.__table__.columns if c.name not in ("id", "school_id")]
        listed = ", ".join(columns)
        picked = ", ".join(f"d.{c}" for c in columns)
        with self.rt.db.engine.begin() as conn:
            conn.execute(
                text(
                    f"INSERT INTO process_definition (school_id, {listed}) "
                    f"SELECT s.id, {picked} FROM process_definition d JOIN school s ON s.id = ANY(:ids) "
                    "WHERE d.school_id = :template"
                ),
                {"ids": [i for i, _ in schools], "template": self.template},
            )

    def _registered_order(self, school_id: int, code: str) -> None:
        """One order drafted, reviewed and approved by the use cases: everyone's acknowledgement opens."""
        from sqlalchemy import select

        from service.platform.inbox import tasks as task_cases
        from service.platform.inbox.instances import start_process
        from service.platform.persistence import tenancy
        from service.platform.persistence.models import HumanTask, User
        from service.platform.runtime import Actor

        rt = self.rt
        with tenancy.acting_as(school_id):

            def actor(login: str) -> Actor:
                with rt.db.read() as session:
                    user = session.execute(
                        select(User).where(User.username == f"{code}.{login}")
                    ).scalar_one()
                    return Actor.of(user.with_roles())

            def open_task(iid: int, bpmn_id: str) -> int:
                with rt.db.read() as session:
                    return int(
                        session.execute(
                            select(HumanTask.id).where(
                                HumanTask.instance_id == iid,
                                HumanTask.bpmn_id == bpmn_id,
                                HumanTask.status == "open",
                            )
                        ).scalar_one()
                    )

            deputy = actor("wg_deputy")
            iid = start_process(rt, deputy, "order_drafting")
            task_cases.complete(rt, deputy, open_task(iid, "Task_draft"), ORDER)
            for login, step in (("lawyer", "Task_legal_review"), ("director", "Task_director_approval")):
                who = actor(login)
                task = open_task(iid, step)
                task_cases.claim(rt, who, task)
                task_cases.complete(rt, who, task, {"decision": "approve"})

    def acknowledgements(self) -> dict[str, list[tuple[str, int]]]:
        """Every pending acknowledgement: school code → [(token, campaign task id)]."""
        from sqlalchemy import select

        from service.platform.persistence import tenancy
        from service.platform.persistence.models import CampaignTask, User

        codes = dict(self.schools)
        pool: dict[str, list[tuple[str, int]]] = defaultdict(list)
        with tenancy.all_schools(), self.rt.db.read() as session:
            rows = session.execute(
                select(CampaignTask.school_id, CampaignTask.id, User.username)
                .join(User, User.id == CampaignTask.user_id)
                .where(CampaignTask.status == "pending")
            ).all()
        for school_id, task_id, username in rows:
            pool[codes[school_id]].append((f"bench-{username}", int(task_id)))
        for tasks in pool.values():
            random.shuffle(tasks)
        return pool

    def worker_pass(self) -> float:
        from service.platform.timers.worker import worker_pass

        t0 = time.perf_counter()
        worker_pass(self.rt)
        return time.perf_counter() - t0

    def counts(self) -> dict[str, int]:
        from sqlalchemy import text

        with self.rt.db.engine.connect() as conn:
            return {
                t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                for t in (
                    "school",
                    "app_user",
                    "process_instance",
                    "human_task",
                    "campaign_task",
                    "audit_event",
                )
            }


# ---------------------------------------------------------------- the clients


class Failed(Exception):
    pass


def _call(port: int, token: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as reply:
            return json.loads(reply.read())
    except urllib.error.HTTPError as err:
        raise Failed(f"{method} {path.split('?')[0]} → {err.code} {err.read()[:120]!r}") from None


class Day:
    """The day's work of a region's schools, shared by the client threads."""

    def __init__(
        self, port: int, codes: list[str], acks: dict[str, list[tuple[str, int]]], people: int
    ) -> None:
        self.port = port
        self.codes = codes
        self.acks = acks
        self.staff = [login for login, _, _ in _people(people)]
        self.lock = threading.Lock()
        self.review: dict[str, list[int]] = defaultdict(list)  # school → drafts waiting for the lawyer
        self.approve: dict[str, list[int]] = defaultdict(list)  # school → reviewed, for the director
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.skipped: dict[str, int] = defaultdict(int)

    def _timed(self, op: str, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        out = fn()
        elapsed = time.perf_counter() - t0
        with self.lock:
            self.times[op].append(elapsed)
        return out

    def _pop(self, queues: dict[str, Any], code: str) -> Any:
        with self.lock:
            queue = queues.get(code)
            return queue.pop() if queue else None

    def _push(self, queues: dict[str, list[int]], code: str, value: int) -> None:
        with self.lock:
            queues[code].append(value)

    def _step_task(self, token: str, iid: int, bpmn_id: str) -> int:
        page = _call(self.port, token, "GET", f"/api/v1/tasks?scope=roles&instance_id={iid}")
        ids = [t["id"] for t in page["tasks"] if t["bpmn_id"] == bpmn_id]
        if not ids:
            raise Failed(f"instance {iid}: no open {bpmn_id}")
        return int(ids[0])

    def one(self, op: str, code: str) -> None:
        port, token = self.port, lambda login: f"bench-{code}.{login}"
        if op == "inbox":
            who = token(random.choice(self.staff))
            self._timed("inbox", lambda: _call(port, who, "GET", "/api/v1/tasks"))
        elif op == "dashboard":
            self._timed(
                "dashboard",
                lambda: _call(port, token("director"), "GET", "/api/v1/tasks?scope=all&status=any"),
            )
        elif op == "region":
            self._timed(
                "region", lambda: _call(port, "bench-region_admin", "GET", "/api/v1/region/dashboard")
            )
        elif op == "acknowledge":
            target = self._pop(self.acks, code)
            if target is None:
                self.skipped[op] += 1
                return
            who, task_id = target
            body = {"data": {"acknowledged": True}}
            self._timed(
                "acknowledge",
                lambda: _call(port, who, "POST", f"/api/v1/campaign-tasks/{task_id}/respond", body),
            )
        elif op == "draft":
            deputy = token("wg_deputy")
            started = self._timed(
                "start",
                lambda: _call(
                    port,
                    deputy,
                    "POST",
                    "/api/v1/processes/order_drafting/instances",
                    {"data": {"title": "B"}},
                ),
            )
            (task,) = [t for t in started["tasks"] if t["bpmn_id"] == "Task_draft"]
            self._timed(
                "complete",
                lambda: _call(port, deputy, "POST", f"/api/v1/tasks/{task['id']}/complete", {"data": ORDER}),
            )
            self._push(self.review, code, int(started["id"]))
        elif op in ("review", "approve"):
            queue, login, step = (
                (self.review, "lawyer", "Task_legal_review")
                if op == "review"
                else (self.approve, "director", "Task_director_approval")
            )
            iid = self._pop(queue, code)
            if iid is None:
                self.skipped[op] += 1
                return
            who = token(login)

            def decide() -> None:
                task = self._step_task(who, iid, step)
                _call(port, who, "POST", f"/api/v1/tasks/{task}/claim", {})
                _call(port, who, "POST", f"/api/v1/tasks/{task}/complete", {"data": {"decision": "approve"}})

            self._timed(op, decide)
            if op == "review":
                self._push(self.approve, code, iid)

    def run(self, clients: int, seconds: float) -> float:
        ops, weights = list(MIX), list(MIX.values())
        stop_at = time.perf_counter() + seconds

        def client() -> None:
            rng = random.Random()
            while time.perf_counter() < stop_at:
                op, code = rng.choices(ops, weights)[0], rng.choice(self.codes)
                try:
                    self.one(op, code)
                except Exception as err:  # counted and reported, never hidden
                    with self.lock:
                        self.errors.append(f"{op}: {str(err)[:160]}")

        threads = [threading.Thread(target=client) for _ in range(clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - began


def _pct(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] * 1000 if ordered else None


def _ops(times: dict[str, list[float]], wall: float) -> dict[str, dict[str, float | None]]:
    return {
        op: {
            "n": len(v),
            "per_s": len(v) / wall if wall else 0.0,
            "p50_ms": statistics.median(v) * 1000 if v else None,
            "p95_ms": _pct(v, 0.95),
        }
        for op, v in sorted(times.items())
    }


def _probe(port: int, codes: list[str], people: int, n: int) -> dict[str, dict[str, float | None]]:
    """Sequential reads, nothing else running: one person's inbox, one director's school listing, the
    region's dashboard."""
    staff = [login for login, _, _ in _people(people)]
    times: dict[str, list[float]] = defaultdict(list)
    paths = {"inbox": "/api/v1/tasks", "dashboard": "/api/v1/tasks?scope=all&status=any"}
    for k in range(n):
        code = codes[k % len(codes)]
        for op, path in paths.items():
            who = f"bench-{code}.{'director' if op == 'dashboard' else staff[k % len(staff)]}"
            t0 = time.perf_counter()
            _call(port, who, "GET", path)
            times[op].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        _call(port, "bench-region_admin", "GET", "/api/v1/region/dashboard")
        times["region"].append(time.perf_counter() - t0)
    return _ops(times, 1.0)


def _workers(url: str, n: int) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "REGION_MODE": "1",
    }
    flask = Path(sys.executable).parent / "flask"
    return [
        subprocess.Popen(
            [str(flask), "--app", "service", "worker", "--interval", "5"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(n)
    ]


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for proc in processes:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", nargs="?", choices=("report",))
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--schools", type=int, default=30, help="the first size")
    parser.add_argument("--grow-to", type=int, default=300, help="the second size")
    parser.add_argument("--users", type=int, default=100, help="people per school")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=90.0, help="the day's work, per size")
    parser.add_argument("--web", type=int, default=4, help="gunicorn sync processes")
    parser.add_argument("--workers", type=int, default=2, help="flask worker processes")
    parser.add_argument("--probe", type=int, default=100, help="sequential requests per probed read")
    parser.add_argument("--json", default=str(ROOT / "bench" / "out" / "region.json"))
    parser.add_argument("--no-report", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args()
    if args.step == "report":
        report(Path(args.json), ROOT / "bench" / "RESULTS.md")
        return
    if not args.url:
        parser.error("--url (PostgreSQL, database name starting bench_region) is required")
    region = Region(args.url)
    sizes: list[dict[str, Any]] = []
    load: list[float] = []
    server: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = []
    try:
        for size in (args.schools, args.grow_to):
            seeding = region.grow(size, args.users)
            print(f"{size} schools seeded: {json.dumps(seeding)}", flush=True)
            if server is None:
                os.environ["REGION_MODE"] = "1"  # _gunicorn passes os.environ on
                bench_ack_storm.WORKERS = args.web
                port = _free_port()
                server = _gunicorn(ROOT, args.url, port)
                # Every process's imports and caches, on the first school only: the others stay as seeded.
                Day(port, [region.schools[0][1]], {}, args.users).run(min(args.clients, 20), 5.0)
            codes = [c for _, c in region.schools]
            probe = _probe(port, codes[-args.schools :], args.users, args.probe)
            print(f"{size} schools, probe: {json.dumps(probe)}", flush=True)
            # The first pass over new schools writes everyone's digest of the day; the next is a quiet one.
            passes = [region.worker_pass(), region.worker_pass()]
            # A running region's working set is in memory: 10 s of work over every school first.
            Day(port, codes, {}, args.users).run(min(args.clients, 50), 10.0)
            workers = _workers(args.url, args.workers)
            day = Day(port, codes, region.acknowledgements(), args.users)
            load.append(os.getloadavg()[0])
            wall = day.run(args.clients, args.seconds)
            load.append(os.getloadavg()[0])
            _stop(workers)
            row = {
                "schools": size,
                "people": size * args.users,
                "seeding": seeding,
                "probe": probe,
                "worker_pass_s": passes,
                "wall_s": wall,
                "requests_per_s": sum(len(v) for v in day.times.values()) / wall,
                "ops": _ops(day.times, wall),
                "errors": len(day.errors),
                "error_samples": day.errors[:5],
                "skipped": dict(day.skipped),
                "rows_after": region.counts(),
            }
            print(json.dumps(row), flush=True)
            sizes.append(row)
    finally:
        _stop(workers + ([server] if server else []))
        region.rt.db.dispose()
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "code": _rev("HEAD"),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
        " (shared with other agents' sessions)",
        "python": platform.python_version(),
        "postgres": _server_version(args.url),
        "clients": args.clients,
        "seconds": args.seconds,
        "web": args.web,
        "workers": args.workers,
        "users": args.users,
        "probe": args.probe,
        "mix": MIX,
        "load_min": min(load),
        "load_max": max(load),
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"meta": meta, "sizes": sizes}, indent=1), encoding="utf-8")
    if not args.no_report:
        report(Path(args.json), ROOT / "bench" / "RESULTS.md")


def _server_version(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        version = str(conn.execute(text("SHOW server_version")).scalar_one()).split()[0]
        autovacuum = str(conn.execute(text("SHOW autovacuum")).scalar_one())
    engine.dispose()
    return f"{version} (autovacuum {autovacuum}; the benchmark runs VACUUM ANALYZE after seeding)"


def _ms(value: float | None) -> str:
    return f"{value:.0f}" if value is not None else "–"


def report(path: Path, results_md: Path) -> None:
    """Write the run's figures as the region section of bench/RESULTS.md."""
    run = json.loads(path.read_text(encoding="utf-8"))
    meta, sizes = run["meta"], run["sizes"]
    small, large = sizes[0], sizes[-1]
    lines = [
        SECTION,
        "",
        f"Written by `bench/bench_region.py` on {meta['date']} (code {meta['code']}); machine: "
        f"{meta['machine']}, Python {meta['python']}, PostgreSQL {meta['postgres']} on the same machine. "
        f"REGION_MODE=1; gunicorn with {meta['web']} sync processes and {meta['workers']} `flask worker` "
        f"processes; {meta['users']} people per school; {meta['clients']} client threads on this machine, "
        "each looping over one operation on a random school with no pause (a closed loop: latencies include "
        f"the wait for a free web process), {meta['seconds']:.0f} s per size; 1-minute load average "
        f"{meta['load_min']:.1f}–{meta['load_max']:.1f}. Mix by weight: "
        f"{', '.join(f'{k} {v}' for k, v in meta['mix'].items())}.",
        "",
        "| schools | people | requests/s | errors | worker pass s (first of the day / next) | seeding s"
        " (bulk + orders) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        lines.append(
            f"| {s['schools']} | {s['people']:,} | {s['requests_per_s']:.1f} | {s['errors']} | "
            f"{s['worker_pass_s'][0]:.1f} / {s['worker_pass_s'][1]:.1f} | "
            f"{s['seeding']['bulk_s']:.0f} + {s['seeding']['orders_s']:.0f} |"
        )
    lines += ["", "Under load, per operation (count, per second, p50 / p95 ms):", ""]
    header = "| operation | " + " | ".join(f"{s['schools']} schools" for s in sizes) + " | p95 ratio |"
    lines += [header, "|---|" + "---:|" * (len(sizes) + 1)]
    for op in sorted({op for s in sizes for op in s["ops"]}):
        cells = []
        for s in sizes:
            o = s["ops"].get(op)
            cells.append(
                f"{o['n']:,} · {o['per_s']:.1f}/s · {_ms(o['p50_ms'])} / {_ms(o['p95_ms'])}" if o else "–"
            )
        a, b = small["ops"].get(op), large["ops"].get(op)
        ratio = f"{b['p95_ms'] / a['p95_ms']:.2f}×" if a and b and a["p95_ms"] else "–"
        lines.append(f"| {LABELS.get(op, op)} | " + " | ".join(cells) + f" | {ratio} |")
    lines += [
        "",
        f"Quiet probe ({meta['probe']} sequential requests each, nothing else running, over the "
        f"{small['schools']} newest schools, each holding only its seeded order), p50 / p95 ms:",
        "",
        "| read | " + " | ".join(f"{s['schools']} schools" for s in sizes) + " | p50 ratio | p95 ratio |",
        "|---|" + "---:|" * (len(sizes) + 2),
    ]
    for op in ("inbox", "dashboard", "region"):
        a, b = small["probe"][op], large["probe"][op]
        lines.append(
            f"| {LABELS[op]} | "
            + " | ".join(f"{_ms(s['probe'][op]['p50_ms'])} / {_ms(s['probe'][op]['p95_ms'])}" for s in sizes)
            + f" | {b['p50_ms'] / a['p50_ms']:.2f}× | {b['p95_ms'] / a['p95_ms']:.2f}× |"
        )
    for s in sizes:
        if s["errors"]:
            lines += ["", f"Errors at {s['schools']} schools (first ones): " + "; ".join(s["error_samples"])]
    lines += [
        "",
        "Rows after each size: "
        + "; ".join(
            f"{s['schools']} schools: " + ", ".join(f"{k} {v:,}" for k, v in s["rows_after"].items())
            for s in sizes
        ),
        "",
        "What the figures come from (profiles, the workers' pass over every school, an A/B with and "
        "without workers, what one machine serves, how each tier scales out): "
        "[docs/scaling.md](../docs/scaling.md).",
    ]
    text = results_md.read_text(encoding="utf-8")
    start = text.find(SECTION)
    if start >= 0:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + text[end + 1 :] if end >= 0 else text[:start]
    results_md.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
