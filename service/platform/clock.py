"""Time helpers: every stored time is aware UTC; pages convert to the school's zone."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
