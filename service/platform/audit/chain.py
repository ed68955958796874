"""The audit chain's arithmetic: canonical content, its digest, and verification of a sequence."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def digest(value: Any) -> str:
    """SHA-256 of data in canonical form, so equal data always has the same digest."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainLink:
    id: int
    at: datetime
    actor: str
    action: str
    instance_id: int | None
    task_id: int | None
    detail_json: str
    prev_hash: str
    hash: str


def link_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    instance_id: int | None,
    task_id: int | None,
    detail_json: str,
) -> str:
    payload = {
        "prev": prev_hash,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "instance": instance_id,
        "task": task_id,
        "detail": detail_json,
    }
    return digest(payload)


def detail_of(detail: Mapping[str, Any]) -> str:
    return canonical_json(dict(detail))


def first_broken(links: Iterable[ChainLink]) -> tuple[int, str] | None:
    """(row id, reason) of the first row whose hash or link to its predecessor is wrong, else None."""
    expected_prev = GENESIS_HASH
    for link in links:
        if link.prev_hash != expected_prev:
            return link.id, "prev_hash does not match the previous row"
        recomputed = link_hash(
            link.prev_hash, link.at, link.actor, link.action, link.instance_id, link.task_id, link.detail_json
        )
        if recomputed != link.hash:
            return link.id, "content does not match its hash"
        expected_prev = link.hash
    return None
