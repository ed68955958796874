"""The council's minutes (хаттама) of an incident as PDF: who took part, each vote, the decision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF

from service.documents.fonts import FAMILY, add_fonts, printable


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
    pdf = FPDF(format="A4")
    add_fonts(pdf)
    pdf.set_margins(left=25, top=20, right=15)
    pdf.set_title(printable(f"{TITLE} {doc.number}"))
    pdf.set_creator("school-ai-governance")
    pdf.set_lang("kk-KZ")
    pdf.add_page()

    def line(text: str, size: int = 11, style: str = "", align: str = "L", height: float = 6) -> None:
        pdf.set_font(FAMILY, style, size)
        pdf.multi_cell(0, height, printable(text), align=align, new_x="LMARGIN", new_y="NEXT")

    line(doc.school_name, 11, align="C")
    line(TITLE, 14, "B", "C", 8)
    line(f"{CAPTIONS['incident']} № {doc.number}    {CAPTIONS['date']}: {doc.date}", 11, align="C")
    pdf.ln(3)
    line(f"{CAPTIONS['type']}: {doc.incident_type}")
    line(f"{CAPTIONS['tool']}: {doc.tool or '—'}")
    line(f"{CAPTIONS['matter']}: {doc.summary}")
    pdf.ln(2)
    line(f"{CAPTIONS['present']}: {', '.join(v.name for v in doc.votes) or CAPTIONS['none']}")
    line(doc.quorum_line)
    pdf.ln(2)
    line(CAPTIONS["votes"], 12, "B")
    pdf.set_font(FAMILY, "", 10)
    with pdf.table(col_widths=(8, 50, 45, 67), first_row_as_headings=True) as table:
        table.row(["№", CAPTIONS["member"], CAPTIONS["vote"], CAPTIONS["comment"]])
        for n, vote in enumerate(doc.votes, start=1):
            table.row([str(n), printable(vote.name), printable(vote.decision), printable(vote.comment)])
    pdf.ln(3)
    line(f"{CAPTIONS['decision']}: {doc.decision}", 12, "B")
    pdf.ln(1)
    line(CAPTIONS["recommendations"], 12, "B")
    if doc.recommendations:
        for n, rec in enumerate(doc.recommendations, start=1):
            line(f"{n}. {rec}")
    else:
        line(CAPTIONS["none"])
    pdf.ln(8)
    line(f"{CAPTIONS['chair']}: ____________ {doc.chair}")
    return bytes(pdf.output())
