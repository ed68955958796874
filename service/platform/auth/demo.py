"""Demo users: one per role (the login is its code), plus commission, council and staff members."""

from __future__ import annotations

from service.platform.audit import log as audit
from service.platform.auth.secrets import hash_password
from service.platform.inbox import queries
from service.platform.persistence.models import User, UserRole
from service.platform.runtime import Runtime

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - the documented demo password, printed by `flask demo`

# Plain names, as on a school's staff list: the role is the UI's to show, never part of a name, because
# names reach official documents (an order's signature line, minutes, exports).
_ROLE_USERS: dict[str, tuple[str, str]] = {
    "director": ("Айгүл Серікқызы", "director"),
    "wg_chair": ("Ерлан Қайратұлы", "wg_chair"),
    "wg_deputy": ("Мәдина Асқарқызы", "wg_deputy"),
    "wg_member": ("Нұрлан Бекұлы", "wg_member"),
    "responsible": ("Гүлнар Әлібекқызы", "responsible"),
    "ict": ("Дәурен Маратұлы", "ict"),
    "lawyer": ("Сәуле Оразқызы", "lawyer"),
    "deputy_director": ("Бақыт Төлегенқызы", "deputy_director"),
    "hr": ("Жанар Сейітқызы", "hr"),
    "admin": ("Асхат Жұмабекұлы", "admin"),
}
_COMMISSION = (
    "Ләззат Ермекқызы",
    "Серік Әбдірахманұлы",
    "Динара Қуанышқызы",
    "Бауыржан Сапарұлы",
    "Айжан Мұратқызы",
)
_COUNCIL = ("Талғат Есенұлы", "Роза Байжанқызы", "Мұрат Омарұлы", "Салтанат Жақсылыққызы", "Қанат Тұрсынұлы")
_STAFF = (
    "Арман Болатұлы",
    "Әйгерім Нұрбекқызы",
    "Ержан Серікұлы",
    "Меруерт Амангелдіқызы",
    "Данияр Қалиұлы",
    "Аружан Ғалымқызы",
    "Олжас Бейсенұлы",
    "Гүлмира Қасымқызы",
    "Самат Әлиұлы",
    "Индира Рахымқызы",
)
# The names earlier versions gave (with role tags); `flask demo` replaces them where still unchanged.
_OLD_NAMES: dict[str, str] = {
    "director": "Айгүл Серікқызы (director)",
    "wg_chair": "Ерлан Қайратұлы (WG chair)",
    "wg_deputy": "Мәдина Асқарқызы (WG deputy)",
    "wg_member": "Нұрлан Бекұлы (WG member)",
    "responsible": "Гүлнар Әлібекқызы (responsible)",
    "ict": "Дәурен Маратұлы (ICT)",
    "lawyer": "Сәуле Оразқызы (lawyer)",
    "deputy_director": "Бақыт Төлегенқызы (deputy director)",
    "hr": "Жанар Сейітқызы (HR)",
    "admin": "Әкімші (admin)",
    **{f"commission{i}": f"Комиссия мүшесі {i}" for i in range(1, 6)},
    **{f"council{i}": f"Кеңес мүшесі {i}" for i in range(1, 6)},
    **{f"staff{i}": f"Педагог {i}" for i in range(1, 11)},
}


def demo_accounts() -> list[tuple[str, str, list[str]]]:
    """(username, full name, roles) of every demo account; everyone also holds `staff`."""
    accounts: list[tuple[str, str, list[str]]] = []
    for username, (full_name, role) in _ROLE_USERS.items():
        roles = [role, "staff"]
        if username == "wg_chair":
            roles.append("council")  # the chair also sits on the council
        accounts.append((username, full_name, roles))
    for i, name in enumerate(_COMMISSION, 1):
        accounts.append((f"commission{i}", name, ["commission", "staff"]))
    for i, name in enumerate(_COUNCIL, 1):
        accounts.append((f"council{i}", name, ["council", "staff"]))
    for i, name in enumerate(_STAFF, 1):
        accounts.append((f"staff{i}", name, ["staff"]))
    return accounts


def load_demo_users(rt: Runtime, password: str = DEMO_PASSWORD, prefix: str = "") -> int:
    """Create the accounts that do not exist yet in the acting school; returns how many were created
    (idempotent). `prefix` ("school1.") keeps user names unique when a region has many schools."""
    created = 0
    password_hash = hash_password(password)
    with rt.db.session() as session:
        for bare, full_name, roles in demo_accounts():
            username = f"{prefix}{bare}"
            existing = queries.user_by_username(session, username)
            if existing is not None:
                if existing.full_name == _OLD_NAMES.get(bare):
                    existing.full_name = full_name  # a demo name with a role tag, never edited since
                continue
            session.add(
                User(
                    username=username,
                    full_name=full_name,
                    password_hash=password_hash,
                    language="kk",
                    email=f"{bare}@{prefix.rstrip('.') or 'school'}.local",
                    roles=[UserRole(role=r) for r in roles],
                )
            )
            created += 1
        if created:
            audit.append(session, "system", "demo.load", detail={"users": created})
    return created
