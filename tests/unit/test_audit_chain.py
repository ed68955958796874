"""The audit chain arithmetic detects any edited, removed or reordered row."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from service.platform.audit.chain import GENESIS_HASH, ChainLink, first_broken, link_hash


def _chain(n: int) -> list[ChainLink]:
    links, prev = [], GENESIS_HASH
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(1, n + 1):
        at = start + timedelta(minutes=i)
        detail = f'{{"n":{i}}}'
        h = link_hash(prev, at, "u", "act", 1, None, detail)
        links.append(ChainLink(i, at, "u", "act", 1, None, detail, prev, h))
        prev = h
    return links


def test_intact_chain_verifies() -> None:
    assert first_broken(_chain(5)) is None


def test_edited_row_is_reported() -> None:
    links = _chain(5)
    links[2] = replace(links[2], detail_json='{"n":999}')
    assert first_broken(links) == (3, "content does not match its hash")


def test_removed_row_is_reported() -> None:
    links = _chain(5)
    del links[1]
    assert first_broken(links) == (3, "prev_hash does not match the previous row")
