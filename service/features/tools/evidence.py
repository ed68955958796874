"""An entry of the AI tool register as evidence of a mark, cited by its number or name."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.features.tools.models import Tool
from service.platform.registry import Evidence, EvidenceSource
from service.platform.runtime import Actor


def resolve(session: Session, actor: Actor, ref: str) -> Evidence | None:
    if ref.isdigit():
        # An id no row can have (past PostgreSQL's integer) finds nothing instead of failing the query.
        tool = session.get(Tool, int(ref)) if len(ref) < 10 else None
    else:
        tool = session.execute(
            select(Tool).where(func.lower(Tool.name) == ref.lower()).limit(1)
        ).scalar_one_or_none()
    if tool is None:
        return None
    return Evidence("tool", str(tool.id), ("tools.show", {"tool_id": tool.id}), tool.name)


SOURCE = EvidenceSource(
    names={"kk": "ЖИ құралы", "ru": "Инструмент ИИ", "en": "AI tool"},
    hints={
        "kk": "ЖИ құралдары тізіліміндегі жазба (нөмірі немесе атауы)",
        "ru": "Запись реестра инструментов ИИ (номер или название)",
        "en": "AI tool register entry (its number or name)",
    },
    resolve=resolve,
)
