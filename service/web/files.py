"""Downloading attachments (uploads arrive with the task forms)."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_login import login_required

from service.web.context import actor, runtime
from service.web.downloads import attachment
from service.workflows import files

bp = Blueprint("files", __name__)


@bp.route("/files/<sha>")
@login_required
def download(sha: str) -> ResponseReturnValue:
    meta, content = files.open_file(runtime(), actor(), sha)
    return attachment(content, meta.content_type, meta.filename)
