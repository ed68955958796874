"""The command line: demo users, tokens, users, the audit chain check, and where `make run` listens."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from flask import Flask
from sqlalchemy import delete, func, select, update

from service.cli import port_problem
from service.platform.audit.chain import GENESIS_HASH, link_hash
from service.platform.audit.checkpoint import checkpoint_dir, write_daily_checkpoint
from service.platform.auth import accounts
from service.platform.persistence.models import AuditEvent, AuditStream, Notification, User
from service.platform.runtime import Runtime


def test_demo_creates_every_role_and_is_idempotent(app: Flask, rt: Runtime) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert "demo users created: 30" in first.output and "demo-pass-2026" in first.output
    assert "created: 0" in runner.invoke(args=["demo"]).output
    users = {u.username: u.role_codes for u in accounts.list_users(rt, _admin())}
    for code in (
        "director",
        "wg_chair",
        "wg_deputy",
        "wg_member",
        "responsible",
        "ict",
        "lawyer",
        "deputy_director",
        "hr",
        "admin",
    ):
        assert code in users[code] and "staff" in users[code]
    assert "council" in users["wg_chair"]
    assert users["commission5"] == {"commission", "staff"} and users["council3"] == {"council", "staff"}
    assert users["staff10"] == {"staff"}


def _admin():  # type: ignore[no-untyped-def]
    from service.platform.runtime import Actor

    return Actor.system()


def test_users_and_tokens_commands(app: Flask, rt: Runtime) -> None:
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=["users", "create", "aliya", "--name", "Әлия", "--password", "long-enough-1", "--role", "staff"]
    )
    assert made.exit_code == 0, made.output
    assert runner.invoke(args=["users", "add-role", "aliya", "council"]).exit_code == 0
    bad = runner.invoke(args=["users", "add-role", "aliya", "astronaut"])
    assert bad.exit_code == 1
    token = runner.invoke(args=["tokens", "create", "aliya"]).output.strip()
    assert token.startswith("sag_")
    user = accounts.user_for_token(rt, token)
    assert user is not None and user.role_codes == {"staff", "council"}


def test_audit_verify_reports_the_first_tampered_row(app: Flask, rt: Runtime) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    runner.invoke(args=["deploy"])
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    with rt.db.session() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == 2).values(actor="mallory"))
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1 and "event 2" in broken.output


def test_audit_verify_notices_the_newest_rows_deleted(app: Flask, rt: Runtime) -> None:
    """Each row proves its predecessor; only the head proves nothing was cut off the end."""
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    runner.invoke(args=["deploy"])
    with rt.db.session() as session:
        newest = session.execute(select(func.max(AuditEvent.id))).scalar_one()
        session.execute(delete(AuditEvent).where(AuditEvent.id == newest))
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"event {newest - 1}" in broken.output and "missing" in broken.output


def test_a_daily_checkpoint_outside_the_database_exposes_a_rewritten_chain(app: Flask, rt: Runtime) -> None:
    """Once a day (one worker of many) the head goes to storage and the director; a chain rebuilt
    afterwards with consistent hashes no longer matches it."""
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    runner.invoke(args=["deploy"])
    first = write_daily_checkpoint(rt)
    assert first is not None and write_daily_checkpoint(rt) is None  # once a day
    assert (checkpoint_dir(rt) / f"{first['date']}.json").exists()
    with rt.db.session() as session:
        director = session.execute(select(User).where(User.username == "director")).scalar_one()
        mine = select(Notification.kind).where(Notification.user_id == director.id)
        assert "audit_checkpoint" in list(session.execute(mine).scalars())
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    # Rewrite every stream consistently from the first event: every link checks out on its own.
    with rt.db.session() as session:
        links = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        tips: dict[str, str] = {}
        for event in links:
            previous = tips.get(event.stream, GENESIS_HASH)
            actor = "mallory" if event.id == links[0].id else event.actor
            new = link_hash(
                previous, event.at, actor, event.action, event.instance_id, event.task_id, event.detail_json
            )
            event.actor, event.prev_hash, event.hash, tips[event.stream] = actor, previous, new, new
        for stream, tip in tips.items():
            session.execute(update(AuditStream).where(AuditStream.name == stream).values(last_hash=tip))
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1 and "checkpoint" in broken.output and "rewritten" in broken.output


def test_check_port_refuses_a_busy_port_and_a_foreign_host(app: Flask) -> None:
    runner = app.test_cli_runner()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(args=["check-port", "--host", "127.0.0.1", "--port", str(port)])
        assert result.exit_code == 1
        assert f"port {port} on 127.0.0.1 is already in use" in result.output
        assert f"make run PORT={port + 1}" in result.output
    assert runner.invoke(args=["check-port", "--host", "127.0.0.1", "--port", str(port)]).exit_code == 0
    assert port_problem("no-such-host.invalid", port) is not None


def test_make_run_takes_port_and_host_and_checks_the_port_before_migrating() -> None:
    root = Path(__file__).resolve().parents[2]
    # -n prints the commands without running any (the set-up's too; only the service's are looked at).
    planned = subprocess.run(
        ["make", "-n", "run", "PORT=5077", "HOST=0.0.0.0"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()
    commands = [line for line in planned if "--app service" in line]
    steps = [line.split("--app service ", 1)[1] for line in commands]
    assert steps[0] == "check-port --host 0.0.0.0 --port 5077"
    assert steps[1] == "db upgrade" and steps[-1] == "serve --host 0.0.0.0 --port 5077"
