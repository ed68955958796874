"""Every migration's revision id fits alembic's version column (VARCHAR(32) on PostgreSQL)."""

from __future__ import annotations

import re
from pathlib import Path

VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


def test_every_revision_id_fits_the_version_column() -> None:
    # SQLite ignores the length, so only PostgreSQL would refuse the upgrade.
    ids = [
        re.search(r"^revision = ['\"]([^'\"]+)['\"]", p.read_text(), re.M)
        for p in sorted(VERSIONS.glob("*.py"))
    ]
    assert ids and all(ids)
    too_long = [m.group(1) for m in ids if m is not None and len(m.group(1)) > 32]
    assert too_long == []
