"""A registered order as the school files it: PDF and DOCX with the approval sheet, Kazakh text intact.

Pure functions from frozen dataclasses to bytes. The content and wording live in `content`, the two
layouts in `pdf` (fpdf2, PT Serif from the `fontpkg-pt-serif` package) and `docx` (python-docx). Both
renderings are deterministic: the same `OrderDocument` gives the same bytes.
"""

from __future__ import annotations

from service.features.orders.documents.content import (
    ApprovalStep,
    OrderDocument,
    declaration,
    normalize_verification_code,
    verification_code,
)
from service.features.orders.documents.docx import render_order_docx
from service.features.orders.documents.pdf import render_order_pdf

__all__ = [
    "ApprovalStep",
    "OrderDocument",
    "declaration",
    "normalize_verification_code",
    "render_order_docx",
    "render_order_pdf",
    "verification_code",
]
