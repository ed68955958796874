"""Downloading attachments (uploads arrive with the task forms)."""

from __future__ import annotations

from flask import Blueprint, Response
from flask.typing import ResponseReturnValue
from flask_login import login_required

from service.web.context import actor, runtime
from service.workflows import files

bp = Blueprint("files", __name__)


@bp.route("/files/<sha>")
@login_required
def download(sha: str) -> ResponseReturnValue:
    meta, content = files.open_file(runtime(), actor(), sha)
    response = Response(content, mimetype=meta.content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(meta.filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
