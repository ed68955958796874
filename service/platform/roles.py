"""Role codes of the school (DOMAIN.md) with their names in kk, ru and en."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    code: str
    kk: str
    ru: str
    en: str

    def name(self, lang: str) -> str:
        return {"kk": self.kk, "ru": self.ru}.get(lang, self.en)


ROLES: tuple[Role, ...] = (
    Role("director", "Мектеп директоры", "Директор школы", "School director"),
    Role("wg_chair", "Жұмыс тобының төрағасы", "Председатель рабочей группы", "Working group chair"),
    Role("wg_deputy", "Төрағаның орынбасары", "Заместитель председателя", "Deputy chair"),
    Role("wg_member", "Жұмыс тобының мүшесі", "Член рабочей группы", "Working group member"),
    Role(
        "responsible",
        "Академиялық адалдық және ЖИ-ді этикалық қолдану жөніндегі жауапты тұлға",
        "Ответственный за академическую честность и этичное использование ИИ",
        "Person responsible for academic integrity and ethical AI use",
    ),
    Role("ict", "АКТ маманы", "Специалист ИКТ", "ICT specialist"),
    Role("lawyer", "Заңгер / құжаттанушы", "Юрист / делопроизводитель", "Lawyer / records clerk"),
    Role("deputy_director", "Басшының орынбасары", "Заместитель директора", "Deputy director"),
    Role("hr", "Кадр қызметі", "Отдел кадров", "HR"),
    Role("commission", "Комиссия", "Комиссия", "Evaluation commission"),
    Role(
        "council",
        "Үйлестіру-этикалық кеңес",
        "Координационно-этический совет",
        "Coordination and ethics council",
    ),
    Role("staff", "Педагогтер / қызметкерлер", "Педагоги / сотрудники", "Teachers and staff"),
    Role("admin", "Жүйе әкімшісі", "Системный администратор", "System administrator"),
    Role(
        "region_admin",
        "Білім басқармасының әкімшісі",
        "Администратор управления образования",
        "Education department administrator",
    ),
)

# Roles held above the schools, by the region's people only.
REGION_ROLES: frozenset[str] = frozenset({"region_admin"})

ROLE_CODES: frozenset[str] = frozenset(r.code for r in ROLES)
BY_CODE: dict[str, Role] = {r.code: r for r in ROLES}

# Who may hand a task over to someone else besides the person holding it.
# Who manages the school's accounts, and hears of work nobody active could do.
ADMIN_ROLE = "admin"
REASSIGNING_ROLES: frozenset[str] = frozenset({"wg_chair", ADMIN_ROLE})


def parse_lane(lane: str | None) -> list[str]:
    """A lane names one role code, or several separated by commas ("wg_deputy,wg_chair")."""
    if not lane:
        return []
    return [part.strip() for part in lane.split(",") if part.strip()]


def role_name(code: str, lang: str) -> str:
    role = BY_CODE.get(code)
    return role.name(lang) if role else code
