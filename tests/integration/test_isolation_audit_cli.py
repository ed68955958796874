"""`flask audit verify --all`: every school's chains checked one after another, each reported on its own
line, a broken school failing the command without hiding the others."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select, update

from service.platform.persistence import tenancy
from service.platform.persistence.models import AuditEvent, School
from service.platform.runtime import Runtime
from tests.integration.school_steps import add_school


def _code(rt: Runtime, school: int) -> str:
    with tenancy.all_schools(), rt.db.read() as session:
        return str(session.execute(select(School.code).where(School.id == school)).scalar_one())


def test_every_school_is_verified_on_its_own(app: Flask, seeded: Runtime) -> None:
    second = add_school(seeded)
    first = _code(seeded, tenancy.DEFAULT_SCHOOL)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify", "--all"])
    assert ok.exit_code == 0, ok.output
    lines = ok.output.splitlines()
    assert any(line.startswith(f"{first}: audit chain intact") for line in lines), lines
    assert any(line.startswith("school2: audit chain intact") for line in lines), lines

    with tenancy.acting_as(second), seeded.db.session() as session:
        oldest = session.execute(select(func.min(AuditEvent.id))).scalar_one()
        session.execute(update(AuditEvent).where(AuditEvent.id == oldest).values(actor="mallory"))
    broken = runner.invoke(args=["audit", "verify", "--all"])
    assert broken.exit_code == 1
    assert f"school2: audit chain broken at event {oldest}" in broken.output
    assert f"{first}: audit chain intact" in broken.output  # the other school still checked and fine
    # One school at a time, as before.
    assert runner.invoke(args=["audit", "verify", "--school", first]).exit_code == 0
    assert runner.invoke(args=["audit", "verify", "--school", "school2"]).exit_code == 1
    assert runner.invoke(args=["audit", "verify", "--all", "--school", first]).exit_code == 2
