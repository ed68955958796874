"""One way to write a wrapped line of text across a PDF page, used by every fpdf2 document."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from service.platform.documents.emphasis import as_fpdf_markdown
from service.platform.documents.fonts import FAMILY, printable


def write_line(
    pdf: FPDF,
    text: str,
    *,
    size: float,
    style: str = "",
    align: Align | str = Align.L,
    h: float = 6,
    width: float = 0,
    emphasis: bool = False,
) -> None:
    """`text` in the document font, wrapped within `width` mm (0: up to the right margin) from the
    current position; the next line starts at the left margin.

    Characters the font lacks are replaced visibly (`printable`), never dropped. With `emphasis`,
    `**bold**` and `*italic*` in the text are printed in those styles instead of as asterisks.
    """
    pdf.set_font(FAMILY, style, size)
    if emphasis:
        pdf.multi_cell(
            width,
            h,
            as_fpdf_markdown(text, printable),
            align=align,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            markdown=True,
        )
        return
    pdf.multi_cell(width, h, printable(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
