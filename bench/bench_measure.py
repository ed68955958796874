"""The measured operations: inbox query, inbox page, task API, start, complete, and the bare engine."""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bench_floor import FLOOR_URL
from bench_seed import DRAFT, PROCESS, Seeded, actor
from flask.testing import FlaskClient
from sqlalchemy import select

from service.features import FEATURES
from service.platform.auth import accounts
from service.platform.auth.demo import DEMO_PASSWORD
from service.platform.engine import runner
from service.platform.engine.serialization import dump_state, load_state
from service.platform.inbox import queries
from service.platform.persistence.models import ProcessDefinition
from service.platform.registry import Registry
from service.platform.runtime import Actor

try:
    from service.platform.forms.validation import clean_submission
except ImportError:  # code before forms/validation.py (bench_hotpath_compare runs older versions with this)
    from service.platform.forms.schema import clean_submission  # type: ignore[attr-defined,no-redef]

DEFAULT_DEADLINES = Registry(FEATURES).default_deadlines

INBOX_USER = "lawyer"  # holds claimed legal reviews, claimable ones and acknowledgements
DRAFTER = "wg_deputy"

OPERATORS: runner.Operators = {
    "school_settings": lambda call: {**DEFAULT_DEADLINES, "timezone": "Asia/Almaty", "school_name": ""},
    "role_members": lambda call: {},
    "register_order_number": lambda call: {"number": "01-01/1", "date": "2026-01-01"},
    "remind_open_tasks": lambda call: 0,
    "set_outcome": lambda call: str(call.params.get("outcome", "")),
    # In memory: the bare engine does no database work, so these only answer like the real ones.
    "record_order_edition": lambda call: 1,
    "set_order_status": lambda call: str(call.params.get("status", "")),
}


Step = Callable[[int], Any]
INBOX_PAGE = "GET /inbox (page)"
API_COMPLETE = "POST complete draft task (API)"
ENGINE_CYCLE = "engine: load + complete + save"  # measured in turn with API_COMPLETE
API_FLOOR = "POST floor: auth + lock + write + audit"  # bench_floor: what any completion must do
# Operations measured together, round-robin across every size (and, for completion, against the bare engine
# cycle), so the machine's drifting speed hits each alike: ratios stay fair even if absolute times wobble.
GROUPS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("inbox query, scope mine",), 2),
    (("inbox query, scope roles",), 2),
    ((INBOX_PAGE,), 1),
    (("GET /api/v1/tasks",), 1),
    (("POST start instance (API)",), 1),
    ((API_COMPLETE, ENGINE_CYCLE, API_FLOOR), 1),
    (("engine: load state", "engine: save state"), 3),
)
WARMUP = 3


@dataclass(frozen=True)
class Stat:
    name: str
    reps: int
    median_ms: float
    p95_ms: float


def interleaved(steps: Sequence[Step], reps: int) -> list[list[float]]:
    """Time every step `reps` times after a warm-up, one call of each per round, in a rotating order."""
    for i in range(WARMUP):
        for step in steps:
            step(i)
    samples: list[list[float]] = [[] for _ in steps]
    for i in range(WARMUP, WARMUP + reps):
        for k in range(len(steps)):
            j = (k + i) % len(steps)
            start = time.perf_counter()
            steps[j](i)
            samples[j].append((time.perf_counter() - start) * 1000)
    return samples


def stat(name: str, samples: list[float]) -> Stat:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Stat(name, len(ordered), statistics.median(ordered), p95)


def measure_all(benches: Sequence[Bench], reps: int) -> list[list[Stat]]:
    """Every operation on every bench (one per database size): the stats per bench, in GROUPS order."""
    result: list[list[Stat]] = [[] for _ in benches]
    for names, factor in GROUPS:
        steps = [(b, name, benches[b].steps()[name]) for b in range(len(benches)) for name in names]
        samples = interleaved([step for _, _, step in steps], reps * factor)
        for (b, name, _), taken in zip(steps, samples, strict=True):
            result[b].append(stat(name, taken))
    return result


def signed_in(seeded: Seeded, username: str) -> FlaskClient:
    client = seeded.app.test_client()
    page = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on /login"
    reply = client.post(
        "/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": match.group(1)}
    )
    assert reply.status_code == 302, reply.status_code
    return client


def bearer(seeded: Seeded, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {accounts.create_token(seeded.rt, Actor.system(), username, 'bench')}"}


def ok(reply: Any, status: int = 200) -> Any:
    assert reply.status_code == status, (reply.status_code, reply.get_data(as_text=True)[:500])
    return reply


class Bench:
    """One app and database at one size; `steps()` names every operation measured on it."""

    def __init__(self, seeded: Seeded) -> None:
        self.seeded = seeded
        self.rt = seeded.rt
        self.page = signed_in(seeded, INBOX_USER)
        self.api = seeded.app.test_client()
        self.inbox_auth = bearer(seeded, INBOX_USER)
        self.drafter_auth = bearer(seeded, DRAFTER)
        self.inbox_actor = actor(seeded.rt, INBOX_USER)
        self.drafts: list[int] = []  # draft tasks of instances started by the start step, completed in order
        self.spec_json, self.state_json, self.engine_id, self.data = engine_inputs(seeded)
        self.workflow = load_state(self.spec_json, self.state_json)
        self.floor_instance = int(seeded.snapshots["draft"][0].instance["id"])

    def inbox_query(self, scope: str) -> tuple[list[Any], int]:
        me = self.inbox_actor
        with self.rt.db.session() as session:
            page = queries.list_tasks(session, me.id or 0, me.roles, queries.TaskFilter(scope=scope))
            return page.rows, page.total

    def start_draft(self, i: int) -> int:
        """Start an instance through the API as the drafter; returns its open draft task's id."""
        body = {"data": {"title": f"Бенчмарк {i}"}}
        url = f"/api/v1/processes/{PROCESS}/instances"
        reply = ok(self.api.post(url, json=body, headers=self.drafter_auth), 201)
        (task_id,) = [t["id"] for t in reply.get_json()["tasks"] if t["bpmn_id"] == "Task_draft"]
        return int(task_id)

    def complete_draft(self, task_id: int) -> None:
        url = f"/api/v1/tasks/{task_id}/complete"
        ok(self.api.post(url, json={"data": DRAFT}, headers=self.drafter_auth))

    def floor(self, _: int) -> None:
        """Write the captured draft instance's own state back: the least a completion writes."""
        url = FLOOR_URL.format(instance_id=self.floor_instance)
        ok(self.api.post(url, json={"state_json": self.state_json}, headers=self.drafter_auth))

    def engine_cycle(self, _: int) -> runner.RunResult:
        return runner.complete_task(self.spec_json, self.state_json, self.engine_id, self.data, OPERATORS)

    def steps(self) -> dict[str, Step]:
        return {
            "inbox query, scope mine": lambda _: self.inbox_query("mine"),
            "inbox query, scope roles": lambda _: self.inbox_query("roles"),
            INBOX_PAGE: lambda _: ok(self.page.get("/inbox")),
            "GET /api/v1/tasks": lambda _: ok(self.api.get("/api/v1/tasks", headers=self.inbox_auth)),
            "POST start instance (API)": lambda i: self.drafts.append(self.start_draft(i)),
            API_COMPLETE: lambda i: self.complete_draft(self.drafts[i]),
            ENGINE_CYCLE: self.engine_cycle,
            API_FLOOR: self.floor,
            "engine: load state": lambda _: load_state(self.spec_json, self.state_json),
            "engine: save state": lambda _: dump_state(self.workflow),
        }


def engine_inputs(seeded: Seeded) -> tuple[str, str, str, dict[str, Any]]:
    """Spec, a just-started instance's state, its draft task id and the data the use case would pass."""
    snap = seeded.snapshots["draft"][0]
    with seeded.rt.db.session() as session:
        definition = session.execute(
            select(ProcessDefinition).where(ProcessDefinition.id == snap.instance["definition_id"])
        ).scalar_one()
        spec_json, forms = definition.spec_json, json.loads(definition.forms_json)
    state_json = snap.instance["state_json"]  # frozen right after start: the draft task is READY
    ((task, _),) = [t for t in snap.tasks if t[0]["bpmn_id"] == "Task_draft"]
    schema = forms[task["form_key"]]
    clean = clean_submission(schema, DRAFT)
    cleared = {
        k: None for k, p in schema.get("properties", {}).items() if k not in clean and not p.get("readOnly")
    }
    return spec_json, state_json, task["engine_task_id"], {**cleared, **clean}
