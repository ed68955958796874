"""Users, roles, sign-in with throttling, and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session, joinedload

from service.platform.audit import log as audit
from service.platform.auth.secrets import check_password, hash_password, new_token, token_digest
from service.platform.clock import utcnow
from service.platform.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.platform.inbox import queries
from service.platform.inbox.leavers import HandedBack, hand_back
from service.platform.persistence import direct, tenancy
from service.platform.persistence.models import ApiToken, LoginThrottle, School, User, UserRole
from service.platform.roles import REGION_ROLES, ROLE_CODES, ROLES, Role
from service.platform.runtime import Actor, Runtime

MAX_FAILURES = 5  # per account: a guessed password is the risk
# Per source address, much higher: a whole school signs in from behind one NAT address, and one
# person's mistakes must not lock out their colleagues; this only stops a scan of many accounts.
MAX_ADDRESS_FAILURES = 100
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=5)
LANGUAGES = ("kk", "ru", "en")
# Checked against a dummy hash when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = hash_password("not-a-real-password")


@dataclass(frozen=True)
class SignIn:
    user: User | None
    throttled: bool = False
    retry_at: datetime | None = None  # when a throttled sign-in may be tried again


def _throttle_row(session: Session, key: str) -> LoginThrottle:
    row = session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        row = LoginThrottle(key=key, failures=0, window_start=utcnow())
        session.add(row)
        session.flush()
    return row


def _is_locked(row: LoginThrottle) -> bool:
    return row.locked_until is not None and row.locked_until > utcnow()


def _record_failure(row: LoginThrottle, limit: int = MAX_FAILURES) -> None:
    now = utcnow()
    if now - row.window_start > FAILURE_WINDOW:
        row.failures, row.window_start = 0, now
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = now + LOCKOUT


def authenticate(rt: Runtime, username: str, password: str, address: str) -> SignIn:
    """Check a password; after repeated failures for a user or an address, refuse for a while."""
    # User names are unique in the whole deployment, so signing in looks across schools; the events go
    # to the person's school's audit log (an unknown name's to the deployment's own: see below).
    with tenancy.all_schools(), rt.db.session() as session:
        user = queries.user_by_username(session, username)
        school = user.school_id if user is not None else _unattributed_school(rt, session)
        with tenancy.acting_as(school):
            account = _throttle_row(session, f"user:{username.lower()}")
            source = _throttle_row(session, f"addr:{address}")
            locked = [
                r.locked_until for r in (account, source) if _is_locked(r) and r.locked_until is not None
            ]
            if locked:
                audit.append(session, username[:80] or "?", "auth.throttled", detail={"address": address})
                return SignIn(None, throttled=True, retry_at=max(locked))
            valid = check_password(user.password_hash if user else _DUMMY_HASH, password)
            if user is None or not valid or not user.is_active:
                _record_failure(account)
                _record_failure(source, MAX_ADDRESS_FAILURES)
                audit.append(session, username[:80] or "?", "auth.failed", detail={"address": address})
                return SignIn(None)
            # A good sign-in clears the account's count; the address keeps its own (others may be failing).
            account.failures, account.locked_until = 0, None
            audit.append(session, user.username, "auth.login", detail={"address": address})
            return SignIn(user.with_roles())


def _unattributed_school(rt: Runtime, session: Session) -> int:
    """Whose log records a failed sign-in under a name nobody has: the single school's, or the region's."""
    if rt.db.default_school is not None:
        return rt.db.default_school
    region = session.execute(select(School.id).where(School.kind == "region").order_by(School.id)).scalar()
    return int(region) if region is not None else tenancy.DEFAULT_SCHOOL


def verify_signature_password(rt: Runtime, actor: Actor, password: str) -> None:
    """A password re-entered to sign a step: checked in its own transaction, so a failure is counted
    (with the person's sign-in failures, under the same lockout) even though the signing step fails."""
    with rt.db.session() as session:
        row = _throttle_row(session, f"user:{actor.username.lower()}")
        if _is_locked(row):
            audit.append(session, actor.username, "auth.throttled", detail={"signature": True})
            problem = "throttled"
        else:
            user = session.get(User, actor.id) if actor.id is not None else None
            if user is not None and check_password(user.password_hash, password):
                return
            _record_failure(row)
            audit.append(session, actor.username, "auth.failed", detail={"signature": True})
            problem = "wrong_password"
    raise ValidationFailed({"password": FieldError(problem)})


def load_user(rt: Runtime, user_id: int) -> User | None:
    """The signed-in person, whichever school they belong to (the request then acts as that school)."""
    with tenancy.all_schools(), rt.db.read() as session:
        user = session.get(User, user_id)
        return user.with_roles() if user is not None and user.is_active else None


def _validate_new_user(username: str, full_name: str, password: str, language: str) -> None:
    errors: dict[str, FieldError] = {}
    if not username or len(username) > 80 or not all(c.isalnum() or c in "._-" for c in username):
        errors["username"] = FieldError("pattern")
    if not full_name.strip():
        errors["full_name"] = FieldError("required")
    if len(password) < 8:
        errors["password"] = FieldError("min_length", {"limit": 8})
    if language not in LANGUAGES:
        errors["language"] = FieldError("enum")
    if errors:
        raise ValidationFailed(errors)


def create_user(
    rt: Runtime,
    actor: Actor,
    username: str,
    full_name: str,
    password: str,
    *,
    roles: list[str] | None = None,
    email: str | None = None,
    language: str = "kk",
) -> int:
    actor.require_admin("only an admin can manage users")
    _validate_new_user(username, full_name, password, language)
    _check_roles(rt, roles or [])
    with rt.db.session() as session:
        if username_taken(session, username):
            raise Conflict("a user with this name exists")
        user = User(
            username=username,
            full_name=full_name.strip(),
            email=email or None,
            password_hash=hash_password(password),
            language=language,
            roles=[UserRole(role=r) for r in sorted(set(roles or []))],
        )
        session.add(user)
        session.flush()
        audit.append(
            session, actor.username, "user.create", detail={"user": username, "roles": sorted(roles or [])}
        )
        return user.id


def username_taken(session: Session, username: str) -> bool:
    """User names are unique in the whole deployment (people sign in by name alone)."""
    query = select(User.id).where(User.username == username).execution_options(**{tenancy.CROSSING: True})
    return session.execute(query).first() is not None


def _check_roles(rt: Runtime, roles: list[str]) -> None:
    """Known roles only, and the region's roles only to people of the region: a school's admin must
    not make anyone (themselves included) an officer above the schools."""
    allowed = ROLE_CODES if _acting_kind(rt) == "region" else ROLE_CODES - REGION_ROLES
    unknown = set(roles) - allowed
    if unknown:
        raise ValidationFailed({"roles": FieldError("enum", {"values": sorted(unknown)})})


def assignable_roles(rt: Runtime) -> list[Role]:
    """The roles an admin of the acting school (or of the region) may give."""
    region = _acting_kind(rt) == "region"
    return [role for role in ROLES if region or role.code not in REGION_ROLES]


def _acting_kind(rt: Runtime) -> str:
    info = rt.school()
    return info.kind if info is not None else "school"


def set_roles(rt: Runtime, actor: Actor, username: str, roles: list[str]) -> None:
    actor.require_admin("only an admin can manage users")
    _check_roles(rt, roles)
    with rt.db.session() as session:
        user = queries.user_by_username(session, username)
        if user is None:
            raise NotFound("no such user")
        before = sorted(user.role_codes)
        user.roles = [UserRole(role=r) for r in sorted(set(roles))]
        audit.append(
            session,
            actor.username,
            "user.roles",
            detail={"user": username, "from": before, "to": sorted(set(roles))},
        )


def add_role(rt: Runtime, actor: Actor, username: str, role: str) -> None:
    with rt.db.session() as session:
        user = queries.user_by_username(session, username)
        if user is None:
            raise NotFound("no such user")
        roles = sorted(user.role_codes | {role})
    set_roles(rt, actor, username, roles)


def set_active(rt: Runtime, actor: Actor, username: str, active: bool) -> HandedBack:
    """Open or close an account; closing one hands its open tasks back (`inbox/leavers.py`)."""
    actor.require_admin("only an admin can manage users")
    with rt.db.session() as session:
        user = queries.user_by_username(session, username)
        if user is None:
            raise NotFound("no such user")
        was_active = user.is_active
        user.is_active = active
        audit.append(session, actor.username, "user.active", detail={"user": username, "active": active})
        if active or not was_active:
            return HandedBack(0, 0)
        return hand_back(session, actor.username, user, mail=rt.smtp_host is not None)


def unlock(rt: Runtime, actor: Actor, username: str) -> bool:
    """An admin lets a locked-out person sign in again at once; returns whether they were locked."""
    actor.require_admin("only an admin can manage users")
    with rt.db.session() as session:
        if queries.user_by_username(session, username) is None:
            raise NotFound("no such user")
        row = _throttle_row(session, f"user:{username.lower()}")
        was_locked = _is_locked(row)
        row.failures, row.locked_until = 0, None
        detail = {"user": username, "was_locked": was_locked}
        audit.append(session, actor.username, "user.unlock", detail=detail)
        return was_locked


def locked_usernames(rt: Runtime, actor: Actor) -> set[str]:
    """Accounts whose sign-in is refused for now (the admin's users page offers to unlock them)."""
    actor.require_admin("only an admin can manage users")
    with rt.db.read() as session:
        keys = session.execute(
            select(LoginThrottle.key).where(
                LoginThrottle.key.startswith("user:"), LoginThrottle.locked_until > utcnow()
            )
        ).scalars()
        return {key.removeprefix("user:") for key in keys}


def set_language(rt: Runtime, actor: Actor, language: str) -> None:
    if language not in LANGUAGES:
        raise ValidationFailed({"language": FieldError("enum")})
    with rt.db.session() as session:
        user = session.get(User, actor.id)
        if user is not None:
            user.language = language


def list_users(rt: Runtime, actor: Actor) -> list[User]:
    actor.require_admin("only an admin can manage users")
    with rt.db.session() as session:
        return [u.with_roles() for u in session.execute(select(User).order_by(User.username)).scalars()]


def create_token(rt: Runtime, actor: Actor, username: str, label: str = "") -> str:
    """A new API token for the user; only its digest is stored, so it is shown once."""
    if actor.username != username and not actor.is_admin:
        raise Forbidden("you can create tokens only for yourself")
    token = new_token()
    with rt.db.session() as session:
        user = queries.user_by_username(session, username)
        if user is None:
            raise NotFound("no such user")
        session.add(ApiToken(user_id=user.id, token_hash=token_digest(token), label=label[:100]))
        audit.append(session, actor.username, "token.create", detail={"user": username, "label": label})
    return token


# Token, user and roles in one Core statement (one row per role), built once: every API call starts here,
# and the ORM's loading of two entities and a collection cost more than the SQL.
_TOKENS = cast(Table, ApiToken.__table__)
_USERS = cast(Table, User.__table__)
_USER_ROLES = cast(Table, UserRole.__table__)
_ACTOR_BY_TOKEN = (
    select(
        _TOKENS.c.id,
        _TOKENS.c.last_used_at,
        _USERS.c.id.label("user_id"),
        _USERS.c.username,
        _USERS.c.full_name,
        _USERS.c.language,
        _USERS.c.school_id,
        _USER_ROLES.c.role,
    )
    .select_from(
        _TOKENS.join(_USERS, _USERS.c.id == _TOKENS.c.user_id).outerjoin(
            _USER_ROLES, _USER_ROLES.c.user_id == _USERS.c.id
        )
    )
    .where(
        _TOKENS.c.token_hash == bindparam("token_hash"),
        _TOKENS.c.revoked_at.is_(None),
        _USERS.c.is_active.is_(True),
    )
)


def actor_for_token(rt: Runtime, token: str) -> Actor | None:
    """The token's active user as an Actor (with their school), or None: one read, no write in the
    request's transaction. A token's holder is found across schools on purpose (the token names them)."""
    with rt.db.read_connection() as conn:
        rows = direct.execute(conn, _ACTOR_BY_TOKEN, {"token_hash": token_digest(token)}).all()
    if not rows:
        return None
    first = rows[0]
    actor = Actor(
        first.user_id,
        first.username,
        first.full_name,
        frozenset(r.role for r in rows if r.role is not None),
        first.language,
        first.school_id,
    )
    _record_use(rt, first.id, first.last_used_at, first.school_id)
    return actor


def _record_use(rt: Runtime, token_id: int, last_used_at: datetime | None, school_id: int) -> None:
    """Record use at most once a minute, in its own short write after the read, never in the request's
    transaction: API calls mostly only read, and two calls of one token never queue on its row."""
    now = utcnow()
    if last_used_at is None or now - last_used_at > timedelta(minutes=1):
        with tenancy.acting_as(school_id), rt.db.session() as session:
            session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))


def user_for_token(rt: Runtime, token: str) -> User | None:
    with tenancy.all_schools(), rt.db.read() as session:
        # Token, user and roles in one statement: every API call starts here.
        found = (
            session.execute(
                select(ApiToken, User)
                .join(User, User.id == ApiToken.user_id)
                .options(joinedload(User.roles))
                .where(ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None))
            )
            .unique()
            .one_or_none()
        )
        if found is None:
            return None
        row, user = found
        if not user.is_active:
            return None
        last_used_at = row.last_used_at
    _record_use(rt, row.id, last_used_at, user.school_id)
    return user


def change_password(rt: Runtime, actor: Actor, current: str, new: str) -> None:
    """A person changes their own password; the current one must be given."""
    errors: dict[str, FieldError] = {}
    if len(new) < 8:
        errors["new_password"] = FieldError("min_length", {"limit": 8})
    with rt.db.session() as session:
        user = session.get(User, actor.id)
        if user is None:
            raise NotFound("no such user")
        if not check_password(user.password_hash, current):
            errors["current_password"] = FieldError("wrong_password")
        if errors:
            raise ValidationFailed(errors)
        user.password_hash = hash_password(new)
        audit.append(session, actor.username, "user.password")
