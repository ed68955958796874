"""The audit chain arithmetic detects any edited, removed or reordered row."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from service.platform.audit.chain import GENESIS_HASH, ChainLink, first_broken, link_hash, root_of


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


def _streams(*names: str) -> list[ChainLink]:
    """Rows in id order, the i-th joining stream names[i], each linked to its own stream's previous."""
    tips: dict[str, str] = {}
    links = []
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i, stream in enumerate(names, start=1):
        at, detail = start + timedelta(minutes=i), f'{{"n":{i}}}'
        prev = tips.get(stream, GENESIS_HASH)
        h = link_hash(prev, at, "u", "act", None, None, detail)
        links.append(ChainLink(i, at, "u", "act", None, None, detail, prev, h, stream))
        tips[stream] = h
    return links


def test_interleaved_streams_verify_and_give_their_tips() -> None:
    links = _streams("a", "b", "a", "c", "b", "a")
    tips: dict[str, str] = {}
    assert first_broken(links, tips) is None
    assert tips == {"a": links[5].hash, "b": links[4].hash, "c": links[3].hash}


def test_a_row_moved_to_another_stream_or_swapped_within_one_is_reported() -> None:
    moved = _streams("a", "b", "a", "b")
    moved[2] = replace(moved[2], stream="b")
    assert first_broken(moved) == (3, "prev_hash does not match the previous row")
    swapped = _streams("a", "b", "a", "a")
    swapped[2], swapped[3] = replace(swapped[3], id=3), replace(swapped[2], id=4)
    assert first_broken(swapped) == (3, "prev_hash does not match the previous row")


def test_the_root_is_the_tip_of_a_single_stream_and_covers_every_stream_otherwise() -> None:
    assert root_of({}) == GENESIS_HASH
    assert root_of({"main": "ab" * 32}) == "ab" * 32  # documents printed before streams read back the same
    both = root_of({"a": "1" * 64, "b": "2" * 64})
    assert both == root_of({"b": "2" * 64, "a": "1" * 64})  # order of discovery does not matter
    assert both != root_of({"a": "1" * 64, "b": "3" * 64}) and both != root_of({"a": "1" * 64})
