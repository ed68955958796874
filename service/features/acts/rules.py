"""Local acts as plain data: parsing a text into sections and clauses, applying a change, comparing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from service.platform.documents.emphasis import plain
from service.platform.documents.textdiff import Piece, word_diff
from service.platform.errors import Conflict

# The school's four local acts (codes are a contract; titles are translated by the web layer).
ACT_CODES: tuple[str, ...] = (
    "ai_regulation",
    "council_regulation",
    "responsible_regulation",
    "evaluation_rules",
)
ACT_TITLES_KK: dict[str, str] = {
    "ai_regulation": "Мектепте жасанды интеллектті жауапты пайдалану туралы ереже",
    "council_regulation": "Үйлестіру-этикалық кеңес туралы ереже",
    "responsible_regulation": "Жауапты тұлға туралы ереже",
    "evaluation_rules": "АЖ/ЖИ құралдарын бағалау және пайдалану қағидалары",
}
CHANGES: tuple[str, ...] = ("change", "add", "delete")
SOURCES: tuple[str, ...] = ("monitoring", "council_recommendation", "law_change", "other")

_SECTION = re.compile(r"^(\d+)\.\s+(\S.*)$")
_CLAUSE = re.compile(r"^(\d+\.\d+)\.?\s+(\S.*)$")
CLAUSE_NUMBER = re.compile(r"^\d+\.\d+$")


@dataclass(frozen=True)
class Clause:
    number: str  # "5.2"
    text: str


@dataclass(frozen=True)
class Section:
    number: str  # "5"
    title: str
    clauses: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class ActText:
    """One edition's full text: the approval header, the title and the numbered sections."""

    header: str
    title: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def clause(self, number: str) -> Clause | None:
        for section in self.sections:
            for clause in section.clauses:
                if clause.number == number:
                    return clause
        return None

    def clauses(self) -> list[Clause]:
        return [c for s in self.sections for c in s.clauses]


class ActChanged(Conflict):
    """An amendment would publish over an edition its proposer has not seen (409, nothing written)."""

    code = "act_changed"

    def __init__(self, act: str, base_edition: int, in_force_edition: int) -> None:
        super().__init__(
            f"conflict: {act} changed after this amendment was prepared: it was written against "
            f"edition {base_edition}, but edition {in_force_edition} is now in force; nothing was published"
        )
        self.params = {"act": act, "base": base_edition, "current": in_force_edition}


class ActTextError(ValueError):
    """The text cannot be read as an act, or a change does not fit the edition."""


def _joined(lines: list[str]) -> str:
    """A clause's lines: list items stay on their own line, a broken sentence is joined with a space."""
    out: list[str] = []
    for line in lines:
        if out and not line.startswith("- ") and not out[-1].rstrip().endswith((":", ";", ".")):
            out[-1] = out[-1].rstrip() + " " + line
        else:
            out.append(line)
    return "\n".join(out)


def parse_act(text: str) -> ActText:
    """Read an act in the seeds' layout: header lines, an upper-case title, "N. SECTION", "N.M. clause"."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    header: list[str] = []
    title = ""
    sections: list[Section] = []
    current: list[str] | None = None
    clause_number = ""
    clauses: list[Clause] = []

    def close_clause() -> None:
        nonlocal current
        if current is not None:
            clauses.append(Clause(clause_number, _joined(current)))
        current = None

    def close_section() -> None:
        nonlocal clauses
        close_clause()
        if sections:
            sections[-1] = replace(sections[-1], clauses=tuple(clauses))
        clauses = []

    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        clause_match = _CLAUSE.match(line)
        section_match = _SECTION.match(line) if clause_match is None else None
        if clause_match and sections:
            close_clause()
            clause_number, first = clause_match.group(1), clause_match.group(2)
            if not clause_number.startswith(sections[-1].number + "."):
                raise ActTextError(f"clause {clause_number} is outside section {sections[-1].number}")
            current = [first]
        elif section_match:
            close_section()
            sections.append(Section(section_match.group(1), section_match.group(2)))
        elif current is not None:
            current.append(line)
        elif not sections and not title and line.upper() == line and len(line) > 20:
            title = line
        elif not sections and not title:
            header.append(line)
        else:
            raise ActTextError(f"text outside any clause: {line[:60]}")
    close_section()
    if not sections:
        raise ActTextError("no numbered sections found")
    return ActText("\n".join(header), title, tuple(sections))


def _clause_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split("."))


def without_own_number(clause: str, text: str) -> str:
    """The clause's text without a leading copy of its own number ("8.1. Мәтін" → "Мәтін"): the page
    prints the number itself, so a proposal typed with it would read "8.1. 8.1. Мәтін"."""
    own = re.match(rf"\s*{re.escape(clause)}\.?(\s+|$)", text)
    return text[own.end() :].strip() if own else text.strip()


def apply_change(act: ActText, clause: str, change: str, proposed_text: str) -> ActText:
    """The edition that results from changing, adding or deleting one clause."""
    if not CLAUSE_NUMBER.match(clause):
        raise ActTextError("a clause is numbered like 5.2")
    section_number = clause.split(".")[0]
    section = next((s for s in act.sections if s.number == section_number), None)
    existing = act.clause(clause)
    if change in ("change", "delete") and existing is None:
        raise ActTextError(f"there is no clause {clause}")
    if change == "add" and existing is not None:
        raise ActTextError(f"clause {clause} already exists")
    if change in ("change", "add") and not without_own_number(clause, proposed_text):
        raise ActTextError("the proposed text is empty")
    if change == "add" and section is None:
        raise ActTextError(f"there is no section {section_number}")
    assert section is not None
    kept = [c for c in section.clauses if c.number != clause]
    if change != "delete":
        kept.append(Clause(clause, without_own_number(clause, proposed_text)))
    new_section = replace(section, clauses=tuple(sorted(kept, key=lambda c: _clause_key(c.number))))
    return replace(act, sections=tuple(new_section if s is section else s for s in act.sections))


@dataclass(frozen=True)
class ClauseComparison:
    number: str
    old: str | None  # None: the clause did not exist
    new: str | None  # None: the clause was deleted
    pieces: tuple[Piece, ...]

    @property
    def changed(self) -> bool:
        return self.old != self.new


def compare(old: ActText, new: ActText) -> list[ClauseComparison]:
    """Every clause of either edition, in number order, with the words inserted and deleted."""
    old_map = {c.number: c.text for c in old.clauses()}
    new_map = {c.number: c.text for c in new.clauses()}
    rows: list[ClauseComparison] = []
    for number in sorted(set(old_map) | set(new_map), key=_clause_key):
        a, b = old_map.get(number), new_map.get(number)
        # Words are compared as read: emphasis marks are not words ("**Инцидент**" is "Инцидент").
        rows.append(ClauseComparison(number, a, b, tuple(word_diff(plain(a or ""), plain(b or "")))))
    return rows


# The campaign kind of staff acknowledging a new edition (per-person rows outside the engine); its
# campaigns' subject is "<act code>/<edition number>".
ACK_KIND = "act_edition_acknowledgement"
