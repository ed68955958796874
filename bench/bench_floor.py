"""The platform's floor: the least any API completion does, measured beside the real one.

Target (a) of the benchmark compares an API completion with the bare engine cycle. This route
does only what every completion must do whatever the process: authenticate the Bearer token,
lock the instance, write its state, append one audit event, commit and answer JSON — no engine,
no form, no inbox projection, no process-specific operators. If even this costs more than the
target allows, the target cannot be met by shaving the completion path; the figure says so.
It is registered on the benchmark's own app only, never on the service.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, jsonify, request
from sqlalchemy import update

from service.platform.audit import log as audit
from service.platform.auth import accounts
from service.platform.persistence.locks import lock_instance
from service.platform.persistence.models import ProcessInstance
from service.platform.runtime import Runtime
from service.platform.web.extensions import csrf

FLOOR_URL = "/bench/floor/{instance_id}"


def install(app: Flask) -> None:
    """Add the floor route; call before the app serves its first request."""
    blueprint = Blueprint("bench_floor", __name__)
    rt: Runtime = app.extensions["runtime"]

    @blueprint.post("/bench/floor/<int:instance_id>")
    def floor(instance_id: int) -> Any:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        user = accounts.user_for_token(rt, token)
        if user is None:
            abort(401)
        state_json = str((request.get_json(silent=True) or {}).get("state_json", ""))
        with rt.db.session() as session:
            instance = lock_instance(session, instance_id)
            if instance is None:
                abort(404)
            # An UPDATE even when the state is the same, as a real completion always writes one.
            session.execute(
                update(ProcessInstance)
                .where(ProcessInstance.id == instance_id)
                .values(state_json=state_json, version=ProcessInstance.version + 1)
            )
            audit.append(session, user.username, "bench.floor", instance_id=instance_id, detail={"n": 1})
        return jsonify({"id": instance_id, "ok": True})

    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)
