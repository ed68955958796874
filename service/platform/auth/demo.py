"""Demo users: one per role named by its code, plus commission, council and staff members."""

from __future__ import annotations

from service.platform.audit import log as audit
from service.platform.auth.secrets import hash_password
from service.platform.inbox import queries
from service.platform.persistence.models import User, UserRole
from service.platform.runtime import Runtime

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - the documented demo password, printed by `flask demo`

_ROLE_USERS: dict[str, tuple[str, str]] = {
    "director": ("Айгүл Серікқызы (director)", "director"),
    "wg_chair": ("Ерлан Қайратұлы (WG chair)", "wg_chair"),
    "wg_deputy": ("Мәдина Асқарқызы (WG deputy)", "wg_deputy"),
    "wg_member": ("Нұрлан Бекұлы (WG member)", "wg_member"),
    "responsible": ("Гүлнар Әлібекқызы (responsible)", "responsible"),
    "ict": ("Дәурен Маратұлы (ICT)", "ict"),
    "lawyer": ("Сәуле Оразқызы (lawyer)", "lawyer"),
    "deputy_director": ("Бақыт Төлегенқызы (deputy director)", "deputy_director"),
    "hr": ("Жанар Сейітқызы (HR)", "hr"),
    "admin": ("Әкімші (admin)", "admin"),
}


def demo_accounts() -> list[tuple[str, str, list[str]]]:
    """(username, full name, roles) of every demo account; everyone also holds `staff`."""
    accounts: list[tuple[str, str, list[str]]] = []
    for username, (full_name, role) in _ROLE_USERS.items():
        roles = [role, "staff"]
        if username == "wg_chair":
            roles.append("council")  # the chair also sits on the council
        accounts.append((username, full_name, roles))
    for i in range(1, 6):
        accounts.append((f"commission{i}", f"Комиссия мүшесі {i}", ["commission", "staff"]))
    for i in range(1, 6):
        accounts.append((f"council{i}", f"Кеңес мүшесі {i}", ["council", "staff"]))
    for i in range(1, 11):
        accounts.append((f"staff{i}", f"Педагог {i}", ["staff"]))
    return accounts


def load_demo_users(rt: Runtime, password: str = DEMO_PASSWORD) -> int:
    """Create the accounts that do not exist yet; returns how many were created (idempotent)."""
    created = 0
    password_hash = hash_password(password)
    with rt.db.session() as session:
        for username, full_name, roles in demo_accounts():
            if queries.user_by_username(session, username) is not None:
                continue
            session.add(
                User(
                    username=username,
                    full_name=full_name,
                    password_hash=password_hash,
                    language="kk",
                    email=f"{username}@school.local",
                    roles=[UserRole(role=r) for r in roles],
                )
            )
            created += 1
        if created:
            audit.append(session, "system", "demo.load", detail={"users": created})
    return created
