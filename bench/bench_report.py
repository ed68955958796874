"""The console table and bench/RESULTS.md: machine, command, figures, target ratios and profiles."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from bench_measure import API_COMPLETE, API_FLOOR, ENGINE_CYCLE, INBOX_PAGE, Stat
from bench_profile import Profile

KEEP_MARKER = (
    "<!-- Everything below this line is hand-written and kept when the benchmark rewrites this file. -->"
)
MAX_COMPLETE_RATIO = 3.0  # target (a): API completion at most 3x the bare engine cycle
MAX_FLAT_RATIO = 1.25  # target (b): "flat" - the inbox page at the largest size within 25 % of the smallest


@dataclass
class Cell:
    db: str
    size: int
    instances: int
    inbox_rows: int
    open_rows: int
    user_mine: int
    user_roles: int
    stats: list[Stat]

    def median(self, name: str) -> float:
        return next(s.median_ms for s in self.stats if s.name == name)


@dataclass
class Run:
    command: str
    reps: int
    cells: list[Cell] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    postgres_version: str = "not used"

    def completion_ratio(self, cell: Cell) -> float:
        return cell.median(API_COMPLETE) / cell.median(ENGINE_CYCLE)

    def growth(self, db: str, name: str = INBOX_PAGE) -> tuple[int, int, float] | None:
        cells = sorted((c for c in self.cells if c.db == db), key=lambda c: c.size)
        if len(cells) < 2:
            return None
        return cells[0].size, cells[-1].size, cells[-1].median(name) / cells[0].median(name)


def _sh(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False, timeout=10).stdout.strip()
    except OSError:
        return "?"


def machine() -> list[tuple[str, str]]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?"
    )
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    kb = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal")), 0)
    root = Path(__file__).resolve().parent.parent
    commit = _sh("git", "-C", str(root), "rev-parse", "--short", "HEAD")
    dirty = (
        " (working tree has uncommitted changes)"
        if _sh("git", "-C", str(root), "status", "--porcelain")
        else ""
    )
    libs = ", ".join(f"{p} {version(p)}" for p in ("SpiffWorkflow", "SQLAlchemy", "Flask", "psycopg"))
    return [
        ("Date", _sh("date", "-u")),
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("RAM", f"{kb / 1024 / 1024:.1f} GiB"),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("Libraries", libs),
        ("Code", f"{commit}{dirty}"),
    ]


def _cell(stat: Stat) -> str:
    return f"{stat.median_ms:.2f} / {stat.p95_ms:.2f}"


def results_table(run: Run) -> list[str]:
    heads = [f"{c.db} {c.size:,}" for c in run.cells]
    lines = ["| median / p95 ms | " + " | ".join(heads) + " |", "|---|" + "---:|" * len(heads)]
    for i, stat in enumerate(run.cells[0].stats):
        lines.append(f"| {stat.name} | " + " | ".join(_cell(c.stats[i]) for c in run.cells) + " |")
    return lines


def dataset_table(run: Run) -> list[str]:
    lines = [
        "| | instances | inbox rows | open rows | lawyer: mine (open) | lawyer: to claim |",
        "|---|" + "---:|" * 5,
    ]
    for c in run.cells:
        lines.append(
            f"| {c.db} {c.size:,} | {c.instances:,} | {c.inbox_rows:,} | {c.open_rows:,} | "
            f"{c.user_mine:,} | {c.user_roles:,} |"
        )
    return lines


def verdicts(run: Run) -> list[str]:
    lines = [
        f"**(a) API task completion ÷ bare engine complete cycle** (target ≤ {MAX_COMPLETE_RATIO:g}×):",
        "",
    ]
    for c in run.cells:
        ratio = run.completion_ratio(c)
        verdict = "met" if ratio <= MAX_COMPLETE_RATIO else "**MISSED**"
        lines.append(
            f"- {c.db} {c.size:,}: {c.median(API_COMPLETE):.2f} ms ÷ {c.median(ENGINE_CYCLE):.2f} ms "
            f"= **{ratio:.1f}×** — {verdict}"
        )
    lines += [
        "",
        "For scale, the platform's floor (`bench/bench_floor.py`: Bearer authentication, instance lock, "
        "state write, one audit event, commit, JSON reply — no engine, no form, no inbox, no operators) "
        "÷ the same engine cycle:",
        "",
    ]
    for c in run.cells:
        lines.append(
            f"- {c.db} {c.size:,}: {c.median(API_FLOOR):.2f} ms ÷ {c.median(ENGINE_CYCLE):.2f} ms "
            f"= **{c.median(API_FLOOR) / c.median(ENGINE_CYCLE):.1f}×**"
        )
    lines += [
        "",
        f"**(b) inbox page at the largest ÷ at the smallest size** (target flat: ≤ {MAX_FLAT_RATIO:g}×):",
        "",
    ]
    for db in dict.fromkeys(c.db for c in run.cells):
        page = run.growth(db)
        if page is None:
            lines.append(f"- {db}: only one size measured")
            continue
        small, large, ratio = page
        verdict = "met" if ratio <= MAX_FLAT_RATIO else "**MISSED**"
        others = ", ".join(
            f"{name} {g[2]:.2f}×"
            for name in ("inbox query, scope mine", "inbox query, scope roles", "GET /api/v1/tasks")
            if (g := run.growth(db, name))
        )
        lines.append(
            f"- {db}: {large:,} ÷ {small:,} = **{ratio:.2f}×** — {verdict} (for comparison: {others})"
        )
    return lines


def profile_section(p: Profile) -> list[str]:
    lines = [
        f"### Profile: {p.what}",
        "",
        f"{p.reps} repetitions under cProfile, {p.total_ms:.1f} ms each with profiler overhead.",
        "",
        "Self time by library:",
        "",
    ]
    lines += [f"- {share * 100:.1f}% {bucket}" for bucket, share in p.buckets]
    for title, rows in (
        ("Top 10 functions by self time", p.top_self),
        ("Top 10 service functions by cumulative time", p.top_service),
    ):
        lines += [
            "",
            f"{title} (per repetition):",
            "",
            "| function | calls | self ms | cumulative ms |",
            "|---|---:|---:|---:|",
        ]
        lines += [f"| `{name}` | {calls} | {own:.2f} | {cum:.2f} |" for name, calls, own, cum in rows]
    if p.sql:
        total = sum(ms for _, _, ms in p.sql)
        count = sum(n for _, n, _ in p.sql)
        lines += [
            "",
            f"SQL per repetition: {count:g} statements taking {total:.2f} ms in cursor.execute; "
            f"{p.connections:g} new database connections opened. Top 10 statements by time:",
            "",
            "| statement | calls | ms |",
            "|---|---:|---:|",
        ]
        lines += [f"| `{s.replace('|', '/')}` | {n:g} | {ms:.2f} |" for s, n, ms in p.sql[:10]]
    return [*lines, ""]


def markdown(run: Run, kept: str) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/bench_platform.py`; rerun with the command below.",
        "",
    ]
    lines += ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in machine()]
    lines += [f"| PostgreSQL | {run.postgres_version} |", "", f"Command: `{run.command}`", ""]
    lines += [
        "## Data set",
        "",
        "Demo users, `bpmn/` deployed, one real instance per drafter run through the use cases",
        "and frozen at each stage; bulk copies of those rows (real `state_json`). Inbox user: `lawyer`.",
        "PostgreSQL gets `VACUUM ANALYZE` after loading (as autovacuum would); SQLite gets no `ANALYZE` "
        "(the service never runs it).",
        "",
    ]
    lines += dataset_table(run)
    lines += [
        "",
        "## Results",
        "",
        f"Wall clock (`time.perf_counter`) per call, {run.reps} calls per operation and size "
        "(inbox queries twice, engine load/save three times as many) after 3 warm-up calls. "
        "The sizes live in separate databases measured side by side: each round calls every operation "
        "of a group once on each size (and the API completion next to the bare engine cycle), so the "
        "machine's drifting speed affects the compared figures alike. Web and API calls go through Flask's "
        "test client (no network, no WSGI server). The inbox query is one `Database.session()` running "
        "`queries.list_tasks` (default filter: open, 50 rows). Every start adds an instance, so the "
        f"databases grow by {run.reps + 3} instances during the run.",
        "",
        *results_table(run),
        "",
        "## Targets",
        "",
        *verdicts(run),
        "",
    ]
    if run.profiles:
        lines += ["## Where the time goes", ""]
        for p in run.profiles:
            lines += profile_section(p)
    return "\n".join(lines).rstrip() + "\n\n" + KEEP_MARKER + "\n" + kept


def write(run: Run, path: Path) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = old.split(KEEP_MARKER, 1)[1].lstrip("\n") if KEEP_MARKER in old else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown(run, kept), encoding="utf-8")


def console(cells: list[Cell]) -> str:
    width = max(len(s.name) for s in cells[0].stats)
    out = [
        f"{'median / p95 ms':<{width}}  "
        + "  ".join(f"{c.db + ' ' + format(c.size, ','):>20}" for c in cells)
    ]
    for i, stat in enumerate(cells[0].stats):
        out.append(f"{stat.name:<{width}}  " + "  ".join(f"{_cell(c.stats[i]):>20}" for c in cells))
    return "\n".join(out)
