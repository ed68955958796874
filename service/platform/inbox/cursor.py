"""Keyset page cursors: where a listing stopped, as an opaque token the next request hands back.

An offset makes the database walk past every earlier row, so page 2,000 of a region's inbox costs
2,000 pages; a cursor names the last row shown (its sort key and id) and the next page starts right
after it through the index, at the same cost wherever it is.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from service.platform.errors import FieldError, ValidationFailed

_VERSION = "1"
_MAX_LENGTH = 64  # a real cursor is ~24 characters; anything longer was not made here
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_MAX_ID = 2**31 - 1  # the ids' column type; a larger one cannot exist (and PostgreSQL would refuse it)


@dataclass(frozen=True)
class Cursor:
    """The last row of a page: its sort time (None when a listing sorts by id alone) and id."""

    at: datetime | None
    id: int
    backwards: bool = False  # the page *before* this row (a "previous" link), not after it

    def token(self) -> str:
        # Whole microseconds by integer arithmetic: a float would round and skip or repeat a row.
        micros = "" if self.at is None else str((self.at.astimezone(UTC) - _EPOCH) // _MICROSECOND)
        raw = f"{_VERSION}.{'b' if self.backwards else 'a'}.{micros}.{self.id}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def reversed(self) -> Cursor:
        return Cursor(self.at, self.id, not self.backwards)


def parse(token: str | None, field: str = "cursor", *, timed: bool = True) -> Cursor | None:
    """The cursor a token names; None for no token; 422 naming `field` for one we did not make.
    `timed`: the listing sorts by time then id, so its cursors carry a time."""
    if not token:
        return None
    problem = ValidationFailed({field: FieldError("invalid")})
    if len(token) > _MAX_LENGTH:
        raise problem
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        version, direction, micros, ident = raw.split(".")
        if version != _VERSION or direction not in ("a", "b") or not ident.isdigit() or len(ident) > 10:
            raise ValueError(raw)
        if int(ident) > _MAX_ID or len(micros) > 17 or timed != (micros != ""):
            raise ValueError(raw)
        at = None if micros == "" else _EPOCH + int(micros) * _MICROSECOND
        return Cursor(at, int(ident), direction == "b")
    except (ValueError, UnicodeDecodeError, OverflowError, OSError) as exc:
        raise problem from exc
