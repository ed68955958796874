"""A document the service produced for download, and byte-stable DOCX packaging."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class ProducedFile:
    """A rendered document with the name and type it is downloaded under."""

    filename: str
    content: bytes
    mimetype: str


def stable_zip(data: bytes, moment: datetime) -> bytes:
    """The same ZIP with every entry stamped `moment` (UTC) instead of the time of rendering."""
    stamp = max(moment.astimezone(UTC).timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
