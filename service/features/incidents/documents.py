"""The council's minutes (хаттама) of an incident as PDF: who took part, each vote, the decision.

The creation date is the moment of the decision, so the same decision always renders to the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from service.platform.documents.fonts import FAMILY, printable
from service.platform.documents.pdf import new_pdf
from service.platform.documents.pdf_text import write_line


@dataclass(frozen=True)
class MinutesVote:
    name: str
    decision: str  # already a label in the document's language
    comment: str


@dataclass(frozen=True)
class Minutes:
    school_name: str
    number: str
    date: str
    incident_type: str
    tool: str
    summary: str  # the incident's description as the council considered it
    quorum_line: str
    votes: Sequence[MinutesVote]
    decision: str
    recommendations: Sequence[str]
    chair: str
    created: datetime  # the moment of the decision: the PDF's creation date
    anchor: str = ""  # the audit chain's length and head hash at the decision


# Kazakh captions (the official language of the school's paperwork).
TITLE = "Үйлестіру-этикалық кеңес отырысының хаттамасы"
CAPTIONS = {
    "incident": "Инцидент",
    "date": "Күні",
    "type": "Түрі",
    "tool": "Құрал",
    "matter": "Қаралған мәселе",
    "present": "Қатысқан мүшелер (дауыс бергендер)",
    "votes": "Дауыстар",
    "member": "Мүше",
    "vote": "Дауысы",
    "comment": "Түсініктеме",
    "decision": "Шешім",
    "recommendations": "Ұсынымдар",
    "none": "жоқ",
    "chair": "Кеңес төрағасы",
}


def minutes_pdf(doc: Minutes) -> bytes:
    pdf = new_pdf(f"{TITLE} {doc.number}", created=doc.created)
    pdf.add_page()

    write_line(pdf, doc.school_name, size=11, align="C")
    write_line(pdf, TITLE, size=14, style="B", align="C", h=8)
    write_line(
        pdf, f"{CAPTIONS['incident']} № {doc.number}    {CAPTIONS['date']}: {doc.date}", size=11, align="C"
    )
    pdf.ln(3)
    write_line(pdf, f"{CAPTIONS['type']}: {doc.incident_type}", size=11)
    write_line(pdf, f"{CAPTIONS['tool']}: {doc.tool or '—'}", size=11)
    write_line(pdf, f"{CAPTIONS['matter']}: {doc.summary}", size=11)
    pdf.ln(2)
    write_line(
        pdf, f"{CAPTIONS['present']}: {', '.join(v.name for v in doc.votes) or CAPTIONS['none']}", size=11
    )
    write_line(pdf, doc.quorum_line, size=11)
    pdf.ln(2)
    write_line(pdf, CAPTIONS["votes"], size=12, style="B")
    pdf.set_font(FAMILY, "", 10)
    with pdf.table(col_widths=(8, 50, 45, 67), first_row_as_headings=True) as table:
        table.row(["№", CAPTIONS["member"], CAPTIONS["vote"], CAPTIONS["comment"]])
        for n, vote in enumerate(doc.votes, start=1):
            table.row([str(n), printable(vote.name), printable(vote.decision), printable(vote.comment)])
    pdf.ln(3)
    write_line(pdf, f"{CAPTIONS['decision']}: {doc.decision}", size=12, style="B")
    pdf.ln(1)
    write_line(pdf, CAPTIONS["recommendations"], size=12, style="B")
    if doc.recommendations:
        for n, rec in enumerate(doc.recommendations, start=1):
            write_line(pdf, f"{n}. {rec}", size=11)
    else:
        write_line(pdf, CAPTIONS["none"], size=11)
    pdf.ln(8)
    write_line(pdf, f"{CAPTIONS['chair']}: ____________ {doc.chair}", size=11)
    if doc.anchor:
        pdf.ln(4)
        write_line(pdf, doc.anchor, size=7)
    return bytes(pdf.output())
