"""The typeface of every PDF the service renders: PT Serif, shipped as TTF files in a PyPI package.

PT Serif (ParaType, SIL Open Font License) was drawn for the languages of the peoples of Russia and covers
the Kazakh letters ә ғ қ ң ө ұ ү һ і and their capitals. The package `fontpkg-pt-serif` (a dependency in
`pyproject.toml`, pinned so that a rendering stays byte-identical) carries the four static TTF files from
Google Fonts, so no system font and no download at run time is needed.

A character the font has no glyph for would silently vanish from the PDF (fpdf2 only logs a warning), so
`printable` maps the few likely ones (the tenge sign, arrows, ticks) to plain text and any other to "?":
the loss stays visible on the page. DOCX files keep the original text; the word processor picks fonts.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

from service.platform.documents.text import clean_text

FAMILY = "PTSerif"
PACKAGE = "fontpkg_pt_serif"
_FILES = {
    "": "PT_Serif-Web-Regular.ttf",
    "B": "PT_Serif-Web-Bold.ttf",
    "I": "PT_Serif-Web-Italic.ttf",
    "BI": "PT_Serif-Web-BoldItalic.ttf",
}
# Characters without a glyph in PT Serif that people do type, as the text a reader would write instead.
_SUBSTITUTES = {
    "₸": "теңге",
    "→": "->",
    "←": "<-",
    "↑": "^",
    "↓": "v",
    "✓": "+",
    "✔": "+",
    "✗": "x",
    "✘": "x",
    "●": "•",
    "■": "•",
    "○": "•",
    "□": "•",
    "‐": "-",
    "\t": "    ",
}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


def font_path(style: str = "") -> Path:
    """The TTF file of a style: "" regular, "B" bold, "I" italic, "BI" bold italic."""
    return Path(str(files(PACKAGE) / "files" / _FILES[style]))


def add_fonts(pdf: FPDF) -> None:
    """Registers the four styles of PT Serif as `FAMILY` and makes it the current font."""
    for style in _FILES:
        pdf.add_font(FAMILY, style, font_path(style))
    pdf.set_font(FAMILY, "", 11)


@cache
def _covered() -> frozenset[int]:
    """Code points that every style of the font can draw."""
    maps = [set(TTFont(font_path(style), lazy=True).getBestCmap()) for style in _FILES]
    return frozenset(set.intersection(*maps))


def printable(text: str) -> str:
    """`text` with every character the font can draw kept and the others replaced (see module docstring)."""
    text = clean_text(text).translate(_INVISIBLE)
    covered = _covered()
    if all(ord(c) in covered or c == "\n" for c in text):
        return text
    return "".join(c if ord(c) in covered or c == "\n" else _SUBSTITUTES.get(c, "?") for c in text)
