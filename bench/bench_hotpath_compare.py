"""The lean hot path (issue 16, item 3; benchmarks 5c and 5d): old code against new in one run.

For each database (SQLite, and PostgreSQL when `--pg` is given) two worker processes serve the same
measurement, one importing the old code (`git archive` of `--old`, default `main`) and one this tree.
Each sets up a fresh database (demo people, shipped diagrams, an API token of the drafter) and is then
asked, in alternating rounds (old, new, new, old, …) so the machine's drifting load hits both alike,
for the median of: API start, API completion of the draft task (Flask test client, one sequential
client), and the bare engine cycle on the same diagram (load the draft state, complete the task, save;
no database). Each worker freezes what it loaded before measuring (`gc.freeze()`), as
`gunicorn.conf.py` has every server worker do. Also per version: SQL statements per start and per
completion, and a cProfile summary of each (share of time by library, top service functions). With
`--throughput`, `bench_throughput.py` then runs its 50-client gunicorn comparison of the same two
versions on PostgreSQL.

    flock /tmp/bench.lock .venv/bin/python bench/bench_hotpath_compare.py \\
        --pg postgresql+psycopg://postgres@127.0.0.1:5432/bench_perf_hot --throughput

Writes bench/hotpath_compare.json and the section "Lean hot path (issue 16, item 3)" of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECTION = "## Lean hot path (issue 16, item 3)"
BODY = {"data": {"title": "Бенчмарк", "order_type": "other", "body": "Мәтін"}}


# ---------------------------------------------------------------- worker (runs inside one code version)


class Worker:
    """One code version's app on one database, answering `measure` and `profile` requests."""

    def __init__(self, code: Path, url: str) -> None:
        from sqlalchemy import select

        from service import create_app
        from service.platform.auth import accounts
        from service.platform.persistence.migrate import upgrade
        from service.platform.persistence.models import User
        from service.platform.runtime import Actor

        self.code = code
        if url.startswith("postgresql"):
            _fresh_pg(url)
        upgrade(url)
        tmp = tempfile.mkdtemp(prefix="hotcmp-")
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "INSTANCE_PATH": tmp, "STORAGE_DIR": tmp})
        cli = app.test_cli_runner()
        assert cli.invoke(args=["demo"]).exit_code == 0
        assert cli.invoke(args=["deploy"]).exit_code == 0
        self.rt = app.extensions["runtime"]
        with self.rt.db.session() as s:
            user = s.execute(select(User).where(User.username == "wg_deputy")).scalar_one()
            actor = Actor.of(user.with_roles())
        token = accounts.create_token(self.rt, actor, "wg_deputy", "bench")
        # An API client keeps no cookie jar (a token call is answered without a cookie): werkzeug's
        # test client would still work through its empty jar for every call, harness time that is not
        # the service's (both versions are measured through this same client).
        self.client = app.test_client(use_cookies=False)
        self.headers = {"Authorization": f"Bearer {token}"}
        for _ in range(5):  # warm caches (definitions, compiled statements)
            self.complete(self.start())
        self.engine_inputs = self._engine_inputs(self.start())
        # As a server worker does (gunicorn.conf.py): what was loaded leaves the cyclic collector's reach.
        gc.collect()
        gc.freeze()

    def start(self) -> int:
        reply = self.client.post(
            "/api/v1/processes/order_drafting/instances", json={"data": {"title": "B"}}, headers=self.headers
        )
        assert reply.status_code == 201, reply.get_data(as_text=True)
        (task,) = [t["id"] for t in reply.get_json()["tasks"] if t["bpmn_id"] == "Task_draft"]
        return int(task)

    def complete(self, task_id: int) -> None:
        reply = self.client.post(f"/api/v1/tasks/{task_id}/complete", json=BODY, headers=self.headers)
        assert reply.status_code == 200, reply.get_data(as_text=True)

    def _engine_inputs(self, task_id: int) -> tuple[str, str, str, dict[str, Any]]:
        try:
            from service.platform.forms.validation import clean_submission
        except ImportError:  # the old code compared against may predate forms/validation.py
            from service.platform.forms.schema import clean_submission
        from service.platform.persistence.models import HumanTask, ProcessDefinition, ProcessInstance

        with self.rt.db.session() as session:
            task = session.get(HumanTask, task_id)
            instance = session.get(ProcessInstance, task.instance_id)
            definition = session.get(ProcessDefinition, instance.definition_id)
            schema = json.loads(definition.forms_json)[task.form_key]
            clean = clean_submission(schema, BODY["data"])
            cleared = {
                k: None
                for k, p in schema.get("properties", {}).items()
                if k not in clean and not p.get("readOnly")
            }
            return definition.spec_json, instance.state_json, task.engine_task_id, {**cleared, **clean}

    def engine_cycle(self) -> None:
        from bench_measure import OPERATORS

        from service.platform.engine import runner

        runner.complete_task(*self.engine_inputs, OPERATORS)

    def measure(self, reps: int) -> dict[str, list[float]]:
        """`reps` rounds of start, completion and engine cycle, one of each per round."""
        out: dict[str, list[float]] = {"start": [], "complete": [], "engine": []}
        tasks = [self.start() for _ in range(reps)]  # drafts for the completions, started beforehand
        for i in range(reps):
            t0 = time.perf_counter()
            self.start()
            t1 = time.perf_counter()
            self.complete(tasks[i])
            t2 = time.perf_counter()
            self.engine_cycle()
            t3 = time.perf_counter()
            out["start"].append((t1 - t0) * 1000)
            out["complete"].append((t2 - t1) * 1000)
            out["engine"].append((t3 - t2) * 1000)
        return out

    def profile(self, reps: int) -> dict[str, Any]:
        """Statements per request and a cProfile summary of start and of completion."""
        import bench_profile
        from bench_profile import profile, sql_trace

        # Functions of this code version count as "service" (the module was written for the new tree).
        service = str(self.code / "service") + "/"
        bench_profile.BUCKETS = tuple(
            (name, (service,) if name.startswith("service") else needles)
            for name, needles in bench_profile.BUCKETS
        )
        bench_profile.SERVICE = service
        engine = self.rt.db.engine
        out: dict[str, Any] = {}
        with sql_trace(engine) as trace:
            task = self.start()
        out["start_statements"] = sum(int(n) for n, _ in trace.statements.values())
        with sql_trace(engine) as trace:
            self.complete(task)
        out["complete_statements"] = sum(int(n) for n, _ in trace.statements.values())
        out["complete_sql"] = sorted(trace.statements)
        tasks = [self.start() for _ in range(reps)]
        for name, step in (
            ("start", lambda i: self.start()),
            ("complete", lambda i: self.complete(tasks[i])),
        ):
            p = profile(name, step, reps, engine)
            out[f"{name}_profile"] = {
                "ms": p.total_ms,
                "buckets": p.buckets,
                "top_service": p.top_service[:8],
            }
        return out


def _fresh_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    admin, name = url.rsplit("/", 1)
    assert name.startswith("bench_perf"), "only bench_perf* databases"
    engine = create_engine(admin + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def serve(code: Path, url: str) -> None:
    """The worker's loop: one JSON request per stdin line, one JSON answer per stdout line."""
    sys.path[:0] = [str(code), str(HERE)]
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # whatever the app prints must not mix with the answers
    worker = Worker(code, url)
    print(json.dumps({"ready": True}), file=real_stdout, flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request["do"] == "measure":
            answer: Any = worker.measure(int(request["reps"]))
        elif request["do"] == "profile":
            answer = worker.profile(int(request["reps"]))
        else:
            break
        print(json.dumps(answer), file=real_stdout, flush=True)
    worker.rt.db.dispose()


# ---------------------------------------------------------------- driver


class Version:
    def __init__(self, label: str, code: Path, url: str) -> None:
        self.label = label
        env = {**os.environ, "PYTHONPATH": str(code)}
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "serve", "--code", str(code), "--url", url],
            env=env,
            cwd=code,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._ready()
        self.samples: dict[str, list[float]] = {"start": [], "complete": [], "engine": []}

    def _ready(self) -> bool:
        assert self.proc.stdout is not None
        return bool(json.loads(self.proc.stdout.readline())["ready"])

    def ask(self, request: dict[str, Any]) -> Any:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()  # the worker's loop ends with its input
        self.proc.wait(60)


def compare(
    db: str, url_of: dict[str, str], codes: dict[str, Path], labels: dict[str, str], args: Any
) -> Any:
    versions = {k: Version(labels[k], codes[k], url_of[k]) for k in ("old", "new")}
    load: list[float] = []
    try:
        for k in range(args.rounds):
            order = ("old", "new") if k % 2 == 0 else ("new", "old")
            for key in order:
                load.append(os.getloadavg()[0])
                got = versions[key].ask({"do": "measure", "reps": args.reps})
                for name, values in got.items():
                    versions[key].samples[name] += values
        profiles = {key: v.ask({"do": "profile", "reps": args.profile_reps}) for key, v in versions.items()}
    finally:
        for v in versions.values():
            v.close()
    rows = {}
    for key, v in versions.items():
        med = {name: statistics.median(values) for name, values in v.samples.items()}
        rows[key] = {"code": v.label, **med, **profiles[key], "n": len(v.samples["complete"])}
    return {"db": db, "load_min": min(load), "load_max": max(load), "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("step", nargs="?", choices=("serve", "report"))
    parser.add_argument("--code", default=str(ROOT))
    parser.add_argument("--url", default="")
    parser.add_argument("--old", default="main", help="git ref of the code to compare against")
    parser.add_argument("--pg", default="", help="PostgreSQL URL, database name starting bench_perf")
    parser.add_argument("--rounds", type=int, default=6, help="alternating rounds per version")
    parser.add_argument("--reps", type=int, default=20, help="start + complete + engine per round")
    parser.add_argument("--profile-reps", type=int, default=30)
    parser.add_argument("--throughput", action="store_true", help="then run bench_throughput.py")
    parser.add_argument("--seconds", type=float, default=60.0, help="throughput: seconds per version")
    parser.add_argument("--json", default=str(HERE / "hotpath_compare.json"))
    args = parser.parse_args()
    if args.step == "serve":
        serve(Path(args.code), args.url)
        return
    if args.step == "report":
        report(Path(args.json), HERE / "RESULTS.md")
        return
    from bench_ack_storm import _extract, _rev

    codes = {"old": _extract(args.old), "new": ROOT}
    labels = {"old": f"{args.old} ({_rev(args.old)})", "new": f"this branch ({_rev('HEAD')})"}
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        urls = {k: f"sqlite:///{tmp}/hot-{k}.db" for k in codes}
        runs.append(compare("SQLite", urls, codes, labels, args))
        print(json.dumps(runs[-1]["rows"], default=str)[:2000], flush=True)
    if args.pg:
        urls = {k: f"{args.pg}_{k}" for k in codes}
        runs.append(compare("PostgreSQL", urls, codes, labels, args))
        print(json.dumps(runs[-1]["rows"], default=str)[:2000], flush=True)
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
        " (shared with other engineers' sessions)",
        "python": platform.python_version(),
        "rounds": args.rounds,
        "reps": args.reps,
        "command": " ".join(sys.argv),
    }
    Path(args.json).write_text(
        json.dumps({"meta": meta, "runs": runs}, indent=1, default=str), encoding="utf-8"
    )
    report(Path(args.json), HERE / "RESULTS.md")
    if args.throughput and args.pg:
        subprocess.run(
            [
                sys.executable,
                str(HERE / "bench_throughput.py"),
                "--url",
                f"{args.pg}_tp",
                "--old",
                args.old,
                "--seconds",
                str(args.seconds),
            ],
            check=True,
        )


def report(path: Path, results_md: Path) -> None:
    """Append the run's figures to bench/RESULTS.md as a section of its own, dated: earlier runs and the
    notes written under them stay (a run never replaces another's record)."""
    run = json.loads(path.read_text(encoding="utf-8"))
    meta = run["meta"]
    lines = [
        f"{SECTION}, {meta['date']}",
        "",
        f"Written by `bench/bench_hotpath_compare.py` on {meta['date']}; machine: {meta['machine']}, "
        f"Python {meta['python']}. Old and new code side by side in this one run, each in its own process "
        f"on its own fresh database, in {meta['rounds']} alternating rounds of {meta['reps']} "
        "(start, completion of the draft task, bare engine cycle) per version; one sequential client "
        "(Flask test client); each worker freezes what it loaded (`gc.freeze()`) as a gunicorn worker does. "
        "Medians in ms.",
        "",
        "| database (load) | code | API start | API complete | engine cycle | complete ÷ engine | "
        "start ÷ engine | statements start / complete |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in run["runs"]:
        for key in ("old", "new"):
            row = r["rows"][key]
            lines.append(
                f"| {r['db']} ({r['load_min']:.1f}–{r['load_max']:.1f}) | {row['code']} | "
                f"{row['start']:.2f} | {row['complete']:.2f} | {row['engine']:.2f} | "
                f"**{row['complete'] / row['engine']:.1f}×** | {row['start'] / row['engine']:.1f}× | "
                f"{row['start_statements']} / {row['complete_statements']} |"
            )
        old, new = r["rows"]["old"], r["rows"]["new"]
        lines.append(
            f"| {r['db']} | new ÷ old | {new['start'] / old['start']:.2f} | "
            f"{new['complete'] / old['complete']:.2f} | {new['engine'] / old['engine']:.2f} | | | |"
        )
    lines += ["", "### Profiles (cProfile, share of profiled time)", ""]
    for r in run["runs"]:
        for what in ("complete", "start"):
            for key in ("old", "new"):
                p = r["rows"][key][f"{what}_profile"]
                shares = ", ".join(f"{b} {s * 100:.0f}%" for b, s in p["buckets"][:6])
                lines.append(f"- {r['db']}, {what}, {r['rows'][key]['code']}: {p['ms']:.1f} ms: {shares}")
    lines += ["", "Top service functions of a completion (cumulative ms per request under cProfile):", ""]
    for r in run["runs"]:
        for key in ("old", "new"):
            top = r["rows"][key]["complete_profile"]["top_service"]
            lines.append(
                f"- {r['db']}, {r['rows'][key]['code']}: "
                + "; ".join(f"`{f.split(' ')[-1]}` {c:.1f}" for f, _, _, c in top[1:7])
            )
    text = results_md.read_text(encoding="utf-8")
    results_md.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
