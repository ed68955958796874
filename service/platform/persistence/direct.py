"""The hot path's Core statements on the driver's cursor: compiled once, without SQLAlchemy's per-call work.

SQLAlchemy's execution of an already-compiled statement (cache lookup, execution context, parameter
and result set-up) cost ~37 µs per statement of an API completion, a sixth of its time on SQLite and
more than the statement itself (py-spy, issue 16). `execute` keeps what matters of it — the same SQL,
the same type conversions (bind and result processors), the same exceptions (`sqlalchemy.exc`), the
connection invalidated on a disconnect — and drops the rest. What it cannot run the same way it hands to
`Connection.execute`: statements with expanding or literal parameters, with Python-side column defaults
that need a context, and every statement while anything listens to `before/after_cursor_execute` (tests and
benchmarks counting statements, `echo`), so what they observe stays complete.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any, cast

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter, ClauseElement
from sqlalchemy.sql.expression import Executable

Processor = Callable[[Any], Any] | None
# A connection's execution option: each statement on it is its own transaction (PostgreSQL's autocommit,
# SQLite's implicit one), so `execute` begins none; SQLAlchemy's begin and its rollback at the connection's
# return cost more than the token check's statement they would have wrapped.
NO_TRANSACTION = "direct_no_transaction"
_REQUIRED = object()


class _Bind:
    """One parameter of the compiled SQL: the key the caller passes, its fixed value, its conversion;
    or, for a column the caller left out, the column's Python-side default that computes it."""

    __slots__ = ("compute", "default", "key", "process")

    def __init__(
        self, bind: BindParameter[Any], process: Processor, compute: Callable[[], Any] | None
    ) -> None:
        self.key = bind.key
        self.default = _REQUIRED if bind.required else bind.value
        self.process = process
        self.compute = compute


class _Compiled:
    """A statement compiled for one dialect and one set of parameter keys, ready for the cursor."""

    __slots__ = ("binds", "positional", "result_processors", "result_types", "row_type", "sql")

    def __init__(self, compiled: SQLCompiler, computed: Mapping[str, Callable[[], Any]]) -> None:
        self.sql = compiled.string
        self.positional = compiled.positional
        # SQLAlchemy's own conversions of each parameter (its `_bind_processors`: what `execute` applies).
        processors: Mapping[str, Any] = compiled._bind_processors
        by_name = {
            name: _Bind(bind, processors.get(name), computed.get(bind.key))
            for bind, name in compiled.bind_names.items()
        }
        names = compiled.positiontup if compiled.positional else list(by_name)
        self.binds = [(name, by_name[name]) for name in names or ()]
        self.result_types = [entry[3] for entry in compiled._result_columns]
        self.row_type: Any = None
        self.result_processors: list[Processor] = []

    def arguments(self, params: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        # `_Bind.value` inlined: a completion binds ~90 parameters, and the call per value was most of it.
        values = []
        get = params.get
        for _, bind in self.binds:
            compute = bind.compute
            value = compute() if compute is not None else get(bind.key, bind.default)
            if value is _REQUIRED:
                raise exc.ArgumentError(f"a value is required for the bound parameter {bind.key!r}")
            process = bind.process
            values.append(process(value) if process is not None and value is not None else value)
        if self.positional:
            return tuple(values)
        return {name: value for (name, _), value in zip(self.binds, values, strict=True)}

    def prepare_rows(self, dialect: Dialect, description: Sequence[Any]) -> None:
        """At the first execution: the row type and each column's conversion (from the description)."""
        names = [str(column[0]) for column in description]
        self.row_type = namedtuple("Row", names, rename=True)  # type: ignore[misc]
        types = self.result_types if len(self.result_types) == len(names) else [None] * len(names)
        self.result_processors = [
            None if type_ is None else type_.dialect_impl(dialect).result_processor(dialect, column[1])
            for type_, column in zip(types, description, strict=True)
        ]


class Result:
    """The rows a statement returned (already fetched) and its rowcount; the part of SQLAlchemy's
    `Result` the hot path uses."""

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        return self._rows

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def one_or_none(self) -> Any:
        if len(self._rows) > 1:
            raise exc.MultipleResultsFound("more than one row where one or none was expected")
        return self.first()

    def one(self) -> Any:
        if len(self._rows) != 1:
            raise exc.NoResultFound("no row") if not self._rows else exc.MultipleResultsFound("many rows")
        return self._rows[0]

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalars(self) -> list[Any]:
        return [row[0] for row in self._rows]

    def mappings(self) -> Result:
        return Result([row._asdict() for row in self._rows], self.rowcount)


# (statement, dialect, parameter keys) → compiled, or None where `Connection.execute` must run it. The
# statements are module-level or cached per dialect, so they live as long as this cache; the tuple keeps
# the statement itself, so its id is never reused for another.
_CACHE: dict[tuple[int, str, frozenset[str]], tuple[Executable, _Compiled | None]] = {}


def _same(value: Any) -> Any:
    return value


def _python_defaults(compiled: SQLCompiler) -> dict[str, Callable[[], Any]] | None:
    """Column key → how to compute the value of each column the statement's caller left to a
    Python-side default (SQLAlchemy's "prefetch"), or None when one needs the execution context.

    A constant is itself; a function of no arguments (`utcnow`, the tenancy's school) is what SQLAlchemy
    wrapped as `lambda ctx: fn()`, kept as `__wrapped__`; a function of the context is left to SQLAlchemy.
    """
    computed: dict[str, Callable[[], Any]] = {}
    prefetch = [(c, c.default) for c in compiled.insert_prefetch]
    prefetch += [(c, c.onupdate) for c in compiled.update_prefetch]
    for column, default in prefetch:
        if default is None:
            return None
        arg = getattr(default, "arg", None)
        if getattr(default, "is_scalar", False):
            computed[column.key] = partial(_same, arg)
        elif getattr(default, "is_callable", False) and callable(getattr(arg, "__wrapped__", None)):
            computed[column.key] = arg.__wrapped__  # type: ignore[union-attr]
        else:
            return None
    return computed


def _compiled(statement: Executable, dialect: Dialect, keys: frozenset[str]) -> _Compiled | None:
    cache_key = (id(statement), dialect.name, keys)
    found = _CACHE.get(cache_key)
    if found is not None:
        return found[1]
    compiled = cast(ClauseElement, statement).compile(dialect=dialect, column_keys=sorted(keys))
    assert isinstance(compiled, SQLCompiler)
    computed = _python_defaults(compiled)
    runnable = computed is not None and not any(
        bind.expanding or bind.literal_execute for bind in compiled.bind_names
    )
    result = _Compiled(compiled, computed or {}) if runnable else None
    _CACHE[cache_key] = (statement, result)
    return result


def observed(connection: Connection) -> bool:
    """Something listens to the statements run (a test counting them, `echo`): let SQLAlchemy run them."""
    # The engine's own listeners unless the connection has some of its own (its dispatcher joins both);
    # `_echo` is what SQLAlchemy itself checks per statement (the engine's `echo` is a property).
    dispatch: Any = connection.dispatch if connection._has_events else connection.engine.dispatch
    return bool(dispatch.before_cursor_execute or dispatch.after_cursor_execute or connection._echo)


def execute(
    connection: Connection, statement: Executable, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]
) -> Result | Any:
    """Run `statement` with `params` (one mapping, or several for an executemany) in the connection's
    transaction; returns its rows, fetched, and its rowcount."""
    batch = None if isinstance(params, Mapping) else list(params)
    first: Mapping[str, Any] = (
        (batch[0] if batch else {}) if batch is not None else cast(Mapping[str, Any], params)
    )
    dialect = connection.dialect
    compiled = _compiled(statement, dialect, frozenset(first)) if not observed(connection) else None
    if compiled is None:
        return connection.execute(statement, batch if batch is not None else first)
    if not connection.in_transaction() and not connection._execution_options.get(NO_TRANSACTION):
        connection.begin()  # as SQLAlchemy's autobegin would (its begin event: SQLite's BEGIN IMMEDIATE)
    raw = connection.connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor()
    arguments: Any = None
    try:
        if batch is not None:
            arguments = [compiled.arguments(p) for p in batch]
            cursor.executemany(compiled.sql, arguments)
        else:
            arguments = compiled.arguments(first)
            cursor.execute(compiled.sql, arguments)
        rows: list[Any] = []
        if cursor.description is not None:
            # Fetched now: SQLite cannot commit while a RETURNING statement still has rows to give.
            if compiled.row_type is None:
                compiled.prepare_rows(dialect, cursor.description)
            make, processors = compiled.row_type._make, compiled.result_processors
            if any(processors):
                rows = [
                    make(v if p is None or v is None else p(v) for p, v in zip(processors, row, strict=True))
                    for row in cursor.fetchall()
                ]
            else:
                rows = [make(row) for row in cursor.fetchall()]
        return Result(rows, cursor.rowcount)
    except dialect.loaded_dbapi.Error as err:
        invalidated = dialect.is_disconnect(err, raw, cursor)
        if invalidated:
            connection.invalidate(err)
        raise exc.DBAPIError.instance(
            compiled.sql,
            arguments,
            err,
            dialect.loaded_dbapi.Error,
            connection_invalidated=invalidated,
            dialect=dialect,
        ) from err
    finally:
        cursor.close()
