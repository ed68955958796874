"""One way to answer with a file to download: its name survives in any language, its type is not sniffed."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response


def attachment(content: bytes | str, mimetype: str, filename: str) -> Response:
    """A download named `filename` (RFC 6266: an ASCII fallback plus the UTF-8 name, e.g. Kazakh)."""
    response = Response(content, mimetype=mimetype)
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
