"""Rendering of orders, acts, minutes and reports as DOCX and PDF (filled in by the documents issue)."""
