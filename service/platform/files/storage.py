"""Attachments stored by content hash outside task data, with size and type limits."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.platform.errors import FieldError, NotFound, ValidationFailed
from service.platform.forms.schema import file_fields
from service.platform.inbox.access import can_view_instance
from service.platform.persistence.models import FileReference, ProcessInstance, StoredFile, User
from service.platform.runtime import Actor, Runtime

ALLOWED_TYPES = {
    "application/pdf": b"%PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": b"PK",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8",
    "text/plain": b"",
}


# A download's name when the bytes were first uploaded in another school: the bytes are stored once for
# the deployment (`stored_file` is shared), but the name a person gave them stays in their school.
NEUTRAL_NAMES = {
    "application/pdf": "file.pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "file.docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "file.xlsx",
    "image/png": "file.png",
    "image/jpeg": "file.jpg",
    "text/plain": "file.txt",
}


@dataclass(frozen=True)
class FileMeta:
    """What a reader learns of a stored file besides its bytes, as their school may see it."""

    sha256: str
    filename: str
    content_type: str
    size: int


def _meta(session: Session, row: StoredFile) -> FileMeta:
    """The row's name only when its first uploader is of the acting school (the scoped read finds them)."""
    own = row.uploaded_by_id is not None and session.get(User, row.uploaded_by_id) is not None
    name = row.filename if own else NEUTRAL_NAMES.get(row.content_type, "file")
    return FileMeta(row.sha256, name, row.content_type, row.size)


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
        # Each uploader is recorded (the same bytes may come from several people): a form may then
        # name the file for them, and they may read it back.
        if actor.id is not None and not _uploaded_by(session, sha, actor.id):
            session.add(FileReference(sha256=sha, user_id=actor.id))
    return f"sha256:{sha}"


def uploaded_by(session: Session, ref: str, user_id: int | None) -> bool:
    """Whether the person uploaded the file of this "sha256:<hex>" reference themselves (their own
    reference row, so the same bytes uploaded by someone else, in this school or another, never count)."""
    if user_id is None or not ref.startswith("sha256:"):
        return False
    return _uploaded_by(session, ref.removeprefix("sha256:"), user_id)


def _uploaded_by(session: Session, sha: str, user_id: int) -> bool:
    found = select(FileReference.id).where(
        FileReference.sha256 == sha, FileReference.user_id == user_id, FileReference.instance_id.is_(None)
    )
    return session.execute(found.limit(1)).first() is not None


def _instances_naming(session: Session, sha: str) -> list[int]:
    rows = select(FileReference.instance_id).where(
        FileReference.sha256 == sha, FileReference.instance_id.is_not(None)
    )
    return [i for i in session.execute(rows.distinct()).scalars() if i is not None]


def claim_references(
    rt: Runtime,
    session: Session,
    actor: Actor,
    instance: ProcessInstance,
    task_id: int,
    schema: Mapping[str, Any],
    data: Mapping[str, Any],
) -> None:
    """Record the files a submitted form names, refusing (422 on the field) one the submitter may not use.

    A person may name a file they uploaded, one this instance already names (a rework keeps the
    draft's attachment), or one they may read anyway; a reference typed into an API call for
    someone else's file is refused, so the form cannot become a way to read it.
    """
    errors: dict[str, FieldError] = {}
    named: list[tuple[str, str]] = []
    for field in file_fields(schema):
        value = data.get(field)
        if not isinstance(value, str) or not value.startswith("sha256:"):
            continue
        sha = value.removeprefix("sha256:")
        allowed = (
            (actor.id is not None and _uploaded_by(session, sha, actor.id))
            or instance.id in _instances_naming(session, sha)
            or _readable(rt, session, actor, sha)
        )
        if not allowed:
            errors[field] = FieldError("file_not_yours")
        else:
            named.append((field, sha))
    if errors:
        raise ValidationFailed(errors)
    for field, sha in named:
        session.add(
            FileReference(sha256=sha, user_id=actor.id, instance_id=instance.id, task_id=task_id, field=field)
        )


def read_stored(rt: Runtime, session: Session, ref: str) -> tuple[FileMeta, bytes] | None:
    """A stored file by its "sha256:<hex>" reference, for use cases that checked access themselves."""
    sha = ref.removeprefix("sha256:")
    meta = session.get(StoredFile, sha)
    if meta is None or len(sha) != 64:
        return None
    return _meta(session, meta), _path(rt, sha).read_bytes()


def _readable(rt: Runtime, session: Session, actor: Actor, sha: str) -> bool:
    """Whether the actor may read a stored file: its uploader, a reader of an instance whose form names
    it, or whoever a feature lets read it (a private incident's evidence, a consultation's material)."""
    if actor.id is not None and _uploaded_by(session, sha, actor.id):
        return True
    for instance_id in _instances_naming(session, sha):
        instance = session.get(ProcessInstance, instance_id)
        if instance is not None and can_view_instance(rt, session, actor, instance):
            return True
    ref = f"sha256:{sha}"
    return any(reader(session, actor, ref) for reader in rt.features.all("file_readers"))


def open_file(rt: Runtime, actor: Actor, sha: str) -> tuple[FileMeta, bytes]:
    """The file, if the reader may read it (see `_readable`); 404 otherwise, existence not disclosed."""
    if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):
        raise NotFound("no such file")
    with rt.db.session() as session:
        meta = session.get(StoredFile, sha)
        if meta is None or not _readable(rt, session, actor, sha):
            raise NotFound("no such file")
        return _meta(session, meta), _path(rt, sha).read_bytes()
