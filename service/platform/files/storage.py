"""Attachments stored by content hash outside task data, with size and type limits."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.platform.errors import FieldError, NotFound, ValidationFailed
from service.platform.inbox.access import can_view_instance
from service.platform.persistence.models import HumanTask, ProcessInstance, StoredFile
from service.platform.runtime import Actor, Runtime

ALLOWED_TYPES = {
    "application/pdf": b"%PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": b"PK",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8",
    "text/plain": b"",
}


def _path(rt: Runtime, sha: str) -> Path:
    return rt.storage_dir / sha[:2] / sha


def store_upload(
    rt: Runtime, actor: Actor, field: str, filename: str, content_type: str, content: bytes
) -> str:
    """Keep the bytes under their SHA-256 and return the reference put into task data."""
    if not content:
        raise ValidationFailed({field: FieldError("required")})
    if len(content) > rt.max_upload_bytes:
        raise ValidationFailed({field: FieldError("file", {"limit": rt.max_upload_bytes})})
    magic = ALLOWED_TYPES.get(content_type)
    # The declared type must be allowed and the first bytes must agree with it.
    if magic is None or not content.startswith(magic):
        raise ValidationFailed({field: FieldError("file")})
    sha = hashlib.sha256(content).hexdigest()
    path = _path(rt, sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(content)
        tmp.replace(path)
    with rt.db.session() as session:
        if session.get(StoredFile, sha) is None:
            session.add(
                StoredFile(
                    sha256=sha,
                    size=len(content),
                    content_type=content_type,
                    filename=Path(filename).name[:255] or "file",
                    uploaded_by_id=actor.id,
                )
            )
    return f"sha256:{sha}"


def read_stored(rt: Runtime, session: Session, ref: str) -> tuple[StoredFile, bytes] | None:
    """A stored file by its "sha256:<hex>" reference, for use cases that checked access themselves."""
    sha = ref.removeprefix("sha256:")
    meta = session.get(StoredFile, sha)
    if meta is None or len(sha) != 64:
        return None
    return meta, _path(rt, sha).read_bytes()


def open_file(rt: Runtime, actor: Actor, sha: str) -> tuple[StoredFile, bytes]:
    """The file, if the reader uploaded it or can see an instance whose task data refers to it."""
    if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):
        raise NotFound("no such file")
    with rt.db.session() as session:
        meta = session.get(StoredFile, sha)
        if meta is None:
            raise NotFound("no such file")
        allowed = meta.uploaded_by_id == actor.id
        if not allowed:
            instance_ids = (
                session.execute(
                    select(HumanTask.instance_id)
                    .where(HumanTask.data_json.contains(f"sha256:{sha}"))
                    .distinct()
                )
                .scalars()
                .all()
            )
            for instance_id in instance_ids:
                instance = session.get(ProcessInstance, instance_id)
                if instance is not None and can_view_instance(rt, session, actor, instance):
                    allowed = True
                    break
        if not allowed:
            # Files a feature keeps outside instance pages (a private incident's evidence, a
            # consultation's material): its own readers may open them.
            ref = f"sha256:{sha}"
            allowed = any(reader(session, actor, ref) for reader in rt.features.all("file_readers"))
        if not allowed:
            raise NotFound("no such file")
        return meta, _path(rt, sha).read_bytes()
