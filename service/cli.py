"""Flask commands: db upgrade, demo, deploy, worker, users, tokens, audit verify (features add theirs)."""

from __future__ import annotations

import errno
import functools
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from service.platform import schools
from service.platform.audit.verify import verify_audit
from service.platform.auth import accounts
from service.platform.auth.demo import DEMO_PASSWORD, load_demo_users
from service.platform.errors import InvalidBpmn, ServiceError
from service.platform.persistence import tenancy
from service.platform.processes import deploy
from service.platform.runtime import Actor, Runtime


def port_problem(host: str, port: int) -> str | None:
    """Why `serve` could not listen on host:port (busy, or a host this machine does not have), or None.

    Bound the way the server binds (SO_REUSEADDR), so a port left in TIME_WAIT is not called busy.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        return f"{host} is not an address of this machine ({err.strerror})"
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use"
            return f"cannot listen on {host}:{port} ({err.strerror})"
    return None


def _rt() -> Runtime:
    runtime: Runtime = current_app.extensions["runtime"]
    return runtime


def school_option(command: Callable[..., None]) -> Callable[..., None]:
    """`--school CODE`: the command acts for that school (needed in region mode, where no school is the
    default; a single-school deployment has only the one)."""

    @click.option("--school", "school_code", default=None, help="The school's code (region mode).")
    @functools.wraps(command)
    def run(*args: Any, school_code: str | None = None, **kwargs: Any) -> None:
        if school_code is None:
            if _rt().db.default_school is None:
                click.echo("error: region mode: name the school with --school CODE", err=True)
                sys.exit(2)
            return command(*args, **kwargs)
        info = schools.school_by_code(_rt(), school_code)
        if info is None:
            click.echo(f"error: no school with the code {school_code!r}", err=True)
            sys.exit(2)
        with tenancy.acting_as(info.id):
            return command(*args, **kwargs)

    return run


def _fail(err: ServiceError) -> None:
    click.echo(f"error: {err.message}", err=True)
    fields = getattr(err, "fields", None)
    if fields:
        for name, problem in fields.items():
            click.echo(f"  {name}: {problem.code} {problem.params or ''}", err=True)
    sys.exit(1)


db_cli = AppGroup("db", help="Database schema (Alembic migrations).")


@db_cli.command("upgrade")
@click.option("--revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from service.platform.persistence.migrate import upgrade

    upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


users_cli = AppGroup("users", help="Users and their roles.")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", "roles", multiple=True)
@click.option("--email", default=None)
@click.option("--language", default="kk", type=click.Choice(["kk", "ru", "en"]))
@school_option
def users_create(
    username: str, full_name: str, password: str, roles: tuple[str, ...], email: str | None, language: str
) -> None:
    """Create a user with roles."""
    try:
        accounts.create_user(
            _rt(),
            Actor.system(),
            username,
            full_name,
            password,
            roles=list(roles),
            email=email,
            language=language,
        )
    except ServiceError as err:
        _fail(err)
    click.echo(f"created {username}")


@users_cli.command("add-role")
@click.argument("username")
@click.argument("role")
@school_option
def users_add_role(username: str, role: str) -> None:
    """Give USERNAME the role ROLE."""
    try:
        accounts.add_role(_rt(), Actor.system(), username, role)
    except ServiceError as err:
        _fail(err)
    click.echo(f"{username} now holds {role}")


tokens_cli = AppGroup("tokens", help="API tokens.")


@tokens_cli.command("create")
@click.argument("username")
@click.option("--label", default="cli")
@school_option
def tokens_create(username: str, label: str) -> None:
    """Print a new API token for USERNAME (only its hash is stored)."""
    try:
        token = accounts.create_token(_rt(), Actor.system(), username, label)
    except ServiceError as err:
        _fail(err)
    click.echo(token)


audit_cli = AppGroup("audit", help="The hash-chained audit log.")


def _verified(prefix: str = "") -> bool:
    """Verify the acting school's chains and say so; False when they are broken."""
    count, broken = verify_audit(_rt())
    if broken is None:
        click.echo(f"{prefix}audit chain intact: {count} events")
        return True
    row_id, reason = broken
    click.echo(f"{prefix}audit chain broken at event {row_id}: {reason}", err=True)
    return False


@school_option
def _verify_one() -> None:
    if not _verified():
        sys.exit(1)


@audit_cli.command("verify")
@click.option("--school", "school_code", default=None, help="The school's code (region mode).")
@click.option("--all", "every_school", is_flag=True, help="Every school's chains, one after another.")
def audit_verify(school_code: str | None, every_school: bool) -> None:
    """Check every row's hash and link; report the first tampered row (of one school, or of each)."""
    if not every_school:
        _verify_one(school_code=school_code)
        return
    if school_code is not None:
        click.echo("error: --all and --school exclude each other", err=True)
        sys.exit(2)
    # Each school's chains stand alone: one broken school is reported and the others still checked.
    intact = True
    for info in schools.list_schools(_rt(), Actor.system()):
        with tenancy.acting_as(info.id):
            intact = _verified(f"{info.code}: ") and intact
    if not intact:
        sys.exit(1)


def _deploy_and_report(directory: Path | None) -> bool:
    """Deploy the directory in the acting school, one line per process; False when a file was refused."""
    ok = True
    for outcome in deploy.deploy_directory(_rt(), Actor.system(), directory):
        if isinstance(outcome, InvalidBpmn):
            ok = False
            where = outcome.filename or "-"
            for p in outcome.problems:
                line = p.line or "-"
                click.echo(f"refused: {where}: {p.element or '-'} line {line}: {p.message}", err=True)
        else:
            state = "deployed" if outcome.changed else "unchanged"
            click.echo(f"{outcome.process_id} v{outcome.version} {state}")
    return ok


def register_cli(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(audit_cli)

    @app.cli.command("demo")
    @school_option
    def demo() -> None:
        """Create the demo users (one per role, commission1-5, council1-5, staff1-10)."""
        created = load_demo_users(_rt())
        click.echo(f"demo users created: {created}; password for all of them: {DEMO_PASSWORD}")
        for load in _rt().features.all("demo_data"):
            line = load(_rt())
            if line:
                click.echo(line)

    @app.cli.command("deploy")
    @click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False))
    @school_option
    def deploy_cmd(directory: str | None) -> None:
        """Deploy every .bpmn file of bpmn/ (or DIRECTORY) whose content changed."""
        if not _deploy_and_report(Path(directory) if directory else None):
            sys.exit(1)

    region_cli = AppGroup("region", help="A region's schools on one deployment (REGION_MODE=1).")
    app.cli.add_command(region_cli)

    @region_cli.command("deploy")
    @click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False))
    def region_deploy_cmd(directory: str | None) -> None:
        """Deploy the shipped processes (or DIRECTORY's) in every school and the region, as after an
        upgrade; a version a school already had is skipped, so a school's newer adaptation stays."""
        failed = False
        for school in schools.list_schools(_rt(), Actor.system()):
            click.echo(f"[{school.code}]")
            with tenancy.acting_as(school.id):
                failed = not _deploy_and_report(Path(directory) if directory else None) or failed
        if failed:
            sys.exit(1)

    @region_cli.command("demo")
    def region_demo_cmd() -> None:
        """The demo region: school1–3 with prefixed demo users, region_admin, region_commission1–3."""
        if _rt().db.default_school is not None:
            click.echo("error: the demo region needs REGION_MODE=1 (and PostgreSQL)", err=True)
            sys.exit(2)

        def school_data(rt: Runtime) -> list[str]:
            return [line for load in rt.features.all("demo_data") if (line := load(rt))]

        for line in schools.region_demo(_rt(), school_data):
            click.echo(line)
        click.echo(f"password for all of them: {DEMO_PASSWORD}")

    @region_cli.command("create-school")
    @click.argument("code")
    @click.option("--name-kk", required=True)
    @click.option("--name-ru", default="")
    @click.option("--timezone", default="")
    @click.option("--admin", "admin_username", required=True)
    @click.option("--admin-name", required=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def create_school_cmd(
        code: str,
        name_kk: str,
        name_ru: str,
        timezone: str,
        admin_username: str,
        admin_name: str,
        password: str,
    ) -> None:
        """A school with its first admin and the shipped processes."""
        try:
            info = schools.create_school(
                _rt(),
                Actor.system(),
                schools.NewSchool(code, name_kk, name_ru, timezone),
                admin_username=admin_username,
                admin_full_name=admin_name,
                admin_password=password,
            )
        except ServiceError as err:
            _fail(err)
        click.echo(f"school {info.code} created (id {info.id}); its admin: {admin_username}")

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="One pass, then exit.")
    @click.option("--interval", default=5.0, show_default=True)
    def worker(once: bool, interval: float) -> None:
        """Fire due timers, write the daily digests and send queued e-mail; run as many as you like."""
        from service.platform.timers.worker import worker_pass

        while True:
            done = worker_pass(_rt())
            if done.fired or done.sent or done.digests:
                click.echo(f"timers fired: {done.fired}, digests: {done.digests}, mails sent: {done.sent}")
            if once:
                return
            time.sleep(interval)

    @app.cli.command("check-port")
    @click.option("--host", default="127.0.0.1")
    @click.option("--port", default=5000)
    def check_port(host: str, port: int) -> None:
        """Fail at once when `serve` could not listen there (`make run` asks before migrating)."""
        problem = port_problem(host, port)
        if problem:
            hint = f"stop what uses it or choose another: make run PORT={port + 1}"
            click.echo(f"error: {problem}; {hint}", err=True)
            sys.exit(1)

    @app.cli.command("serve")
    @click.option("--host", default="127.0.0.1")
    @click.option("--port", default=5000)
    def serve(host: str, port: int) -> None:
        """Development server with the timer worker running in-process."""
        from werkzeug.serving import run_simple

        from service.platform.web.background import start_worker_thread

        start_worker_thread(app)
        # run_simple, because Flask ignores app.run() inside its own CLI commands.
        run_simple(host, port, app, threaded=True, use_reloader=False)
