"""Reading a lane's name as role codes: by code, or by a role's Kazakh, Russian or English name."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from service.platform.roles import ROLE_CODES, ROLES

# Letters that people type without their Kazakh marks (қ/к, ұ/у …) fold away, so "Заңгер" and
# "Зангер" read the same; the plan parser tolerates the seed's typists the same way.
_FOLD = str.maketrans("құғәөүңһёі", "кугаоунхеи")
_NOT_WORD = re.compile(r"[^\w]+")

# Words admins write on lanes besides the role table's names (DOMAIN.md): a teacher lane is "staff".
_ALIASES: dict[str, tuple[str, ...]] = {
    "director": ("Директор", "Director", "Мектеп басшысы", "Басшы"),
    "wg_chair": ("Төраға", "Председатель", "Chair"),
    "wg_deputy": ("Заместитель председателя", "Deputy chair"),
    "wg_member": ("Жұмыс тобы", "Рабочая группа", "Working group"),
    "responsible": ("Жауапты тұлға", "Ответственный", "Responsible person", "Responsible"),
    "ict": ("АКТ", "ИКТ", "ICT", "IT", "Информатик", "IT маманы"),
    "lawyer": ("Заңгер", "Құжаттанушы", "Юрист", "Делопроизводитель", "Lawyer", "Records clerk"),
    "deputy_director": ("Директордың орынбасары", "Завуч", "Deputy director"),
    "hr": ("Кадр", "Кадрлар", "Отдел кадров", "Кадры", "HR", "Human resources"),
    "commission": ("Комиссия мүшесі", "Член комиссии", "Commission", "Commission member"),
    "council": ("Кеңес", "Совет", "Council", "Ethics council"),
    "staff": (
        "Мұғалім",
        "Мұғалімдер",
        "Педагог",
        "Педагогтер",
        "Қызметкер",
        "Қызметкерлер",
        "Учитель",
        "Учителя",
        "Педагоги",
        "Сотрудник",
        "Сотрудники",
        "Teacher",
        "Teachers",
        "Staff",
        "Employee",
    ),
    "admin": ("Әкімші", "Администратор", "Admin", "Administrator"),
}

# A typo a person would still recognise ("Диретор", "Учителя" for "Учитель") reads as the role.
_TYPO_CUTOFF = 0.85
_SUGGEST_CUTOFF = 0.5


def fold(text: str) -> str:
    """Lower case, Kazakh marks folded, punctuation and repeated spaces gone."""
    return " ".join(_NOT_WORD.sub(" ", text.lower().translate(_FOLD)).replace("_", " ").split())


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every folded name a role is known by → its code."""
    names: dict[str, str] = {}
    for role in ROLES:
        spellings = [role.code, role.kk, role.ru, role.en, *_ALIASES.get(role.code, ())]
        for text in spellings:
            # "Заңгер / құжаттанушы": each half names the role too.
            for part in [text, *text.split("/")]:
                key = fold(part)
                if key:
                    names.setdefault(key, role.code)
    return names


@dataclass(frozen=True)
class LanePart:
    """One comma-separated part of a lane's name and what it was read as."""

    text: str
    code: str | None  # None: no role is named so
    suggestion: str | None = None  # the closest role code, for the refusal


def read_part(text: str) -> LanePart:
    if text in ROLE_CODES:
        return LanePart(text, text)
    key = fold(text)
    names = _names()
    if key in names:
        return LanePart(text, names[key])
    close = difflib.get_close_matches(key, names, n=1, cutoff=_SUGGEST_CUTOFF)
    if close and difflib.SequenceMatcher(None, key, close[0]).ratio() >= _TYPO_CUTOFF:
        return LanePart(text, names[close[0]])
    return LanePart(text, None, names[close[0]] if close else None)


def read_lane(lane: str | None) -> list[LanePart]:
    """A lane names one role, or several separated by commas or semicolons."""
    if not lane:
        return []
    return [read_part(part.strip()) for part in re.split(r"[,;\n]", lane) if part.strip()]


def lane_codes(lane: str | None) -> list[str]:
    """The role codes a lane names, in order, unknown parts left out."""
    codes: list[str] = []
    for part in read_lane(lane):
        if part.code is not None and part.code not in codes:
            codes.append(part.code)
    return codes
