"""Markdown emphasis in regulation text (`**bold**`, `*italic*`): split into styled runs for pages,
PDF and DOCX, so that no reader ever sees the asterisks.

Only emphasis is understood — the acts are plain numbered text otherwise. An asterisk that opens no
closed pair (a footnote mark "*", "5 * 3") stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Bold first (two asterisks), then italic (one); the content may not start or end with a space, as in
# Markdown, so "5 * 3 * 2" is arithmetic, not emphasis.
_MARK = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=[^\s*])([^*]+?)(?<=\S)\*")


@dataclass(frozen=True)
class Run:
    """A piece of text with its style: "" plain, "B" bold, "I" italic."""

    text: str
    style: str = ""


def runs(text: str) -> list[Run]:
    """The text as styled runs; plain text is one run. Italic inside bold is kept as bold-italic."""
    found: list[Run] = []
    at = 0
    for match in _MARK.finditer(text):
        if match.start() > at:
            found.append(Run(text[at : match.start()]))
        if match.group(1) is not None:
            found.extend(Run(r.text, "B" + r.style) for r in runs(match.group(1)))
        else:
            found.append(Run(match.group(2), "I"))
        at = match.end()
    if at < len(text):
        found.append(Run(text[at:]))
    return [r for r in found if r.text]


def plain(text: str) -> str:
    """The text without emphasis marks (for diffs, searches and one-style lines)."""
    return "".join(r.text for r in runs(text))


def as_fpdf_markdown(text: str, clean: Callable[[str], str] = lambda t: t) -> str:
    """The text in fpdf2's markdown (`**bold**`, `__italic__`) for `multi_cell(markdown=True)`, each
    run passed through `clean` first; the markers fpdf2 would also read in plain text (`**`, `__`,
    `--`, `~~`) are broken by a zero-width space, which fpdf2 cannot escape otherwise."""
    out = []
    for run in runs(text):
        piece = re.sub(r"([*_\-~])(?=\1)", "\\1\u200b", clean(run.text))
        if "B" in run.style:
            piece = f"**{piece}**"
        if "I" in run.style:
            piece = f"__{piece}__"
        out.append(piece)
    return "".join(out)
