"""A registered order as the school files it: PDF and DOCX with the approval sheet, Kazakh text intact.

Pure functions from frozen dataclasses to bytes. The content and wording live in `order_content`, the two
layouts in `order_pdf` (fpdf2, PT Serif from the `fontpkg-pt-serif` package) and `order_docx`
(python-docx). Both renderings are deterministic: the same `OrderDocument` gives the same bytes.
"""

from __future__ import annotations

from service.features.orders.documents.content import (
    AI_DECLARATION,
    DECISION_WORDS,
    ApprovalStep,
    OrderDocument,
    declaration,
    normalize_verification_code,
    verification_code,
)
from service.features.orders.documents.docx import render_order_docx
from service.features.orders.documents.pdf import render_order_pdf

__all__ = [
    "AI_DECLARATION",
    "DECISION_WORDS",
    "ApprovalStep",
    "OrderDocument",
    "declaration",
    "normalize_verification_code",
    "render_order_docx",
    "render_order_pdf",
    "verification_code",
]
