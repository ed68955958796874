"""Where the time goes: cProfile of a repeated step, grouped by library, and the SQL it issues."""

from __future__ import annotations

import cProfile
import pstats
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import event
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
SERVICE = str(ROOT / "service") + "/"
# First match wins: (bucket, substrings of a function's file or, for C functions, of its name).
BUCKETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("engine (SpiffWorkflow + service/engine)", ("SpiffWorkflow", "/service/engine/", "RestrictedPython")),
    ("database driver + server wait", ("psycopg", "sqlite3", "_sqlite")),
    ("SQLAlchemy", ("sqlalchemy",)),
    ("form validation (jsonschema)", ("jsonschema", "referencing", "rpds")),
    (
        "web (Flask, Werkzeug, Jinja, Babel, WTF)",
        ("flask", "werkzeug", "jinja2", "babel", "wtforms", "markupsafe", "itsdangerous", "click"),
    ),
    ("service (other layers)", (SERVICE,)),
    ("json", ("json",)),
)


@dataclass
class Profile:
    what: str
    reps: int
    total_ms: float  # per repetition, profiler overhead included
    buckets: list[tuple[str, float]]  # (bucket, share of total)
    top_self: list[tuple[str, int, float, float]]  # (function, calls, self ms, cumulative ms) per repetition
    top_service: list[tuple[str, int, float, float]]
    sql: list[tuple[str, float, float]] = field(default_factory=list)  # (statement, calls, ms) per repetition
    connections: float = 0.0  # new DBAPI connections opened per repetition


def _label(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    for root in ("/site-packages/", "/lib/python3.11/", str(ROOT) + "/"):
        if root in filename:
            filename = filename.split(root, 1)[1]
            break
    return f"{filename}:{line} {name}"


def _bucket(key: tuple[str, int, str]) -> str:
    where = key[0] if key[0] != "~" else key[2]
    for name, needles in BUCKETS:
        if any(n in where for n in needles):
            return name
    return "other (stdlib, interpreter)"


def profile(what: str, step: Callable[[int], Any], reps: int, engine: Engine | None = None) -> Profile:
    profiler = cProfile.Profile()
    with sql_trace(engine) as trace:
        start = time.perf_counter()
        profiler.enable()
        for i in range(reps):
            step(i)
        profiler.disable()
        total = (time.perf_counter() - start) * 1000 / reps
    # {(file, line, function): (primitive calls, calls, self s, cumulative s, callers)}
    stats: dict[Any, Any] = cast(Any, pstats.Stats(profiler)).stats
    by_bucket: dict[str, float] = defaultdict(float)
    for key, (_, _, self_s, _, _) in stats.items():
        by_bucket[_bucket(key)] += self_s
    whole = sum(by_bucket.values()) or 1.0
    rows = [(_label(k), v[1] // reps, v[2] * 1000 / reps, v[3] * 1000 / reps) for k, v in stats.items()]
    service_rows = [r for k, r in zip(stats, rows, strict=True) if SERVICE in k[0]]
    return Profile(
        what=what,
        reps=reps,
        total_ms=total,
        buckets=sorted(((b, s / whole) for b, s in by_bucket.items()), key=lambda x: -x[1]),
        top_self=sorted(rows, key=lambda r: -r[2])[:10],
        top_service=sorted(service_rows, key=lambda r: -r[3])[:10],
        sql=sorted(((s, n / reps, t / reps) for s, (n, t) in trace.statements.items()), key=lambda r: -r[2]),
        connections=trace.connections / reps,
    )


@dataclass
class Trace:
    statements: dict[str, list[float]] = field(default_factory=lambda: defaultdict(lambda: [0, 0.0]))
    connections: int = 0  # new DBAPI connections (with NullPool: one per transaction)


@contextmanager
def sql_trace(engine: Engine | None) -> Iterator[Trace]:
    """Collect {statement: [calls, ms]} and new connections for everything run on `engine` in the block."""
    trace = Trace()
    if engine is None:
        yield trace
        return

    def before(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        conn.info.setdefault("bench_t0", []).append(time.perf_counter())

    def after(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        elapsed = (time.perf_counter() - conn.info["bench_t0"].pop()) * 1000
        key = re.sub(r"\s+", " ", statement).strip()
        key = re.sub(r"\((%\(\w+\)s(::\w+)?(, )?)+\)|\([?, ]+\)", "(…)", key)
        entry = trace.statements[key[:160] + ("…" if len(key) > 160 else "")]
        entry[0] += 1
        entry[1] += elapsed

    def connected(dbapi_conn: Any, record: Any) -> None:
        trace.connections += 1

    listeners = (("connect", connected), ("before_cursor_execute", before), ("after_cursor_execute", after))
    for name, fn in listeners:
        event.listen(engine, name, fn)
    try:
        yield trace
    finally:
        for name, fn in listeners:
            event.remove(engine, name, fn)
