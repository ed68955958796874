"""Modelers' conditions (Camunda 7 JUEL, Camunda 8 FEEL) rewritten token by token as engine expressions.

Only names, literals, comparisons and and/or/not pass: anything else (calls, paths, arithmetic, lists,
ternaries) has no safe equivalent and is refused, quoting the construct as the admin wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass


class Untranslatable(ValueError):
    """A construct with no safe translation; `construct` is the part quoted to the admin."""

    def __init__(self, construct: str) -> None:
        super().__init__(construct)
        self.construct = construct


@dataclass(frozen=True)
class Dialect:
    """How one expression language spells its tokens, words and operators."""

    token: re.Pattern[str]  # groups: string, number, op, name, other
    words: Mapping[str, str]  # `and`, `eq`, `true` … → Python
    ops: Mapping[str, str]  # `&&`, `=` … → Python
    not_call: bool = False  # FEEL's negation is a function: `not(x)`


_CALL = re.compile(r"[A-Za-z_][A-Za-z0-9_ ]*\([^()]*\)")
_RUN = re.compile(r"\S+")


def rewrite(body: str, dialect: Dialect) -> str:
    """The expression `body` in Python; raises Untranslatable naming the first construct it cannot take."""
    out: list[str] = []
    position = name_start = 0
    previous = ""
    while position < len(body):
        token = dialect.token.match(body, position)
        if token is None or token.end() == position:
            break
        position = token.end()
        kind = str(token.lastgroup)
        value = token.group(kind)
        if dialect.not_call and kind == "name" and value == "not":
            if not body[position:].lstrip().startswith("("):
                raise Untranslatable(_around(body, token.start(kind)))
            out.append("not")
            previous = "word"
            continue
        called = kind == "op" and value == "(" and previous == "name"
        # `empty list`, `if a`, `x in`: two words in a row are an operator we do not translate
        juxtaposed = (
            kind in ("name", "number", "string") and previous == "name" and value not in dialect.words
        )
        path = kind == "name" and body[position : position + 1] in (".", "[")
        if juxtaposed:
            raise Untranslatable(body[name_start : token.end(kind)])
        if kind == "other" or called or path:
            # a call is quoted from its function's name: `contains(x, "a")`, not `(x, "a")`
            raise Untranslatable(_around(body, name_start if called else token.start(kind)))
        previous = ("word" if value in dialect.words else "name") if kind == "name" else kind
        name_start = token.start(kind)
        if kind == "name":
            out.append(dialect.words.get(value, value))
        elif kind == "op":
            out.append(dialect.ops.get(value, value))
        else:
            out.append(value)
    if not out:
        raise Untranslatable(body.strip())
    return " ".join(out).replace("( ", "(").replace(" )", ")")


def _around(body: str, start: int) -> str:
    """The construct that stops the translation, as written: `contains(x, "a")`, `+`, `a.b`."""
    run = _CALL.match(body, start) or _RUN.match(body, start)
    return (run.group(0) if run else body[start:])[:60]
