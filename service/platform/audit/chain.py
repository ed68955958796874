"""The audit chain's arithmetic: canonical content, its digest, and verification of a sequence."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


# One encoder for every call: `json.dumps` with these options built a new one each time (three per
# audited completion); the text is the same.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


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
    stream: str = "main"


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


def first_broken(links: Iterable[ChainLink], tips: dict[str, str] | None = None) -> tuple[int, str] | None:
    """(row id, reason) of the first row, in id order, whose hash or link to the previous row of its
    stream is wrong, else None. `tips` (stream → newest hash), when given, is filled as the walk goes."""
    tips = {} if tips is None else tips
    for link in links:
        if link.prev_hash != tips.get(link.stream, GENESIS_HASH):
            return link.id, "prev_hash does not match the previous row"
        recomputed = link_hash(
            link.prev_hash, link.at, link.actor, link.action, link.instance_id, link.task_id, link.detail_json
        )
        if recomputed != link.hash:
            return link.id, "content does not match its hash"
        tips[link.stream] = link.hash
    return None


def root_of(tips: Mapping[str, str]) -> str:
    """One hash for the tips of every stream (what checkpoints and documents print). A log that is one
    stream is its tip, so what was printed before streams existed still reads back the same."""
    if not tips:
        return GENESIS_HASH
    if len(tips) == 1:
        return next(iter(tips.values()))
    return hashlib.sha256("".join(f"{name}\t{tips[name]}\n" for name in sorted(tips)).encode()).hexdigest()
