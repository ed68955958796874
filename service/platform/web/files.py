"""Downloading attachments (uploads arrive with the task forms)."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_login import login_required

from service.platform.files import storage as files
from service.platform.web.context import actor, runtime
from service.platform.web.downloads import attachment

bp = Blueprint("files", __name__)


@bp.route("/files/<sha>")
@login_required
def download(sha: str) -> ResponseReturnValue:
    meta, content = files.open_file(runtime(), actor(), sha)
    return attachment(content, meta.content_type, meta.filename)
