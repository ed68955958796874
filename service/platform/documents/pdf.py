"""The one set-up of every PDF the service renders: fpdf2, A4, PT Serif, margins, fixed metadata and date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from fpdf import FPDF

from service.platform.documents.fonts import add_fonts, printable

CREATOR = "school-ai-governance"
LANGUAGE = "kk-KZ"  # the school's paperwork is in the official language
# The creation date of a document whose content has no moment of its own (an empty journal).
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Margins:
    """Page margins in mm; the text breaks to a new page `bottom` mm above the lower edge."""

    left: float = 25
    top: float = 20
    right: float = 15
    bottom: float = 20


STANDARD_MARGINS = Margins()
# Orders and local acts: Kazakh office practice leaves 30 mm on the left for the binding.
OFFICE_MARGINS = Margins(left=30)

Footer = Callable[[FPDF], None]


class _Pdf(FPDF):
    """fpdf2 asks the document itself for its footer; this one calls the function it was given."""

    def __init__(self, landscape: bool, footer: Footer | None) -> None:
        super().__init__(orientation="landscape" if landscape else "portrait", unit="mm", format="A4")
        self._footer = footer

    def footer(self) -> None:
        if self._footer is not None:
            self._footer(self)


def new_pdf(
    title: str,
    *,
    created: datetime | None,
    margins: Margins = STANDARD_MARGINS,
    landscape: bool = False,
    author: str = "",
    subject: str = "",
    footer: Footer | None = None,
) -> FPDF:
    """An empty A4 document with PT Serif registered and current (11 pt), ready for `add_page()`.

    `created` is the moment the content stands for (an approval, a decision, the latest row listed),
    never the moment of rendering, and None means `EPOCH`: fpdf2 derives the file identifier from the
    content, so the same input renders to the same bytes and a SHA-256 recorded once verifies every
    later copy. `footer(pdf)` is drawn at the bottom of every page; `author` and `subject` are set
    only when given.
    """
    pdf = _Pdf(landscape, footer)
    add_fonts(pdf)
    pdf.set_margins(left=margins.left, top=margins.top, right=margins.right)
    pdf.set_auto_page_break(auto=True, margin=margins.bottom)
    pdf.set_creation_date(created or EPOCH)
    pdf.set_title(printable(title))
    if author:
        pdf.set_author(printable(author))
    if subject:
        pdf.set_subject(printable(subject))
    pdf.set_creator(CREATOR)
    pdf.set_lang(LANGUAGE)
    return pdf
