"""Caps on the C-level string methods and formatting that can build a huge value in one call.

`'x'.ljust(10**9)`, `'%*s' % (n, x)` or `f"{x:>{n}}"` run inside C, where the time limit's trace
function never gets a turn: the whole gigabyte is built before anything can stop it. These guards
compute the size of the result first and refuse it (ScriptTooLarge, an ordinary script error) past
MAX_SEQUENCE_LENGTH. (`str.format` itself is refused by RestrictedPython.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from RestrictedPython.Guards import safer_getattr

from service.platform.engine.limits import MAX_SEQUENCE_LENGTH, ScriptTooLarge

_TEXT = (str, bytes, bytearray)
# A width or precision in a format spec (`>20`, `.3f`) or a printf conversion (`%-20s`, `%.*f`).
_SPEC_NUMBER = re.compile(r"\d+")
_PRINTF = re.compile(r"%[-+ #0]*(\d+|\*)?(?:\.(\d+|\*))?")


def _spec_too_wide(spec: str) -> bool:
    """Whether a number in a format spec (a width or a precision) is past the cap."""
    numbers = _SPEC_NUMBER.findall(spec)
    return any(len(n) > len(str(MAX_SEQUENCE_LENGTH)) or int(n) > MAX_SEQUENCE_LENGTH for n in numbers)


def _refuse_past(size: int, what: str) -> None:
    if size > MAX_SEQUENCE_LENGTH:
        raise ScriptTooLarge(f"{what} would be too large for a script")


def _width(text: Any, width: Any, *rest: Any) -> None:
    if isinstance(width, int):
        _refuse_past(width, "the padded text")


def _expandtabs(text: Any, tabsize: Any = 8) -> None:
    if isinstance(tabsize, int):
        tab = b"\t" if isinstance(text, bytes | bytearray) else "\t"
        _refuse_past(len(text) + text.count(tab) * max(tabsize, 0), "the expanded text")


def _replace(text: Any, old: Any, new: Any, count: Any = -1) -> None:
    if not isinstance(old, _TEXT) or not isinstance(new, _TEXT):
        return
    found = len(text) + 1 if len(old) == 0 else text.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    _refuse_past(len(text) + found * (len(new) - len(old)), "the replaced text")


def _checked_join(separator: Any, method: Callable[..., Any]) -> Callable[..., Any]:
    def join(items: Any) -> Any:
        parts = list(items)  # a generator runs here, in Python frames the time limit can stop
        sizes = sum(len(p) for p in parts if isinstance(p, _TEXT))
        _refuse_past(sizes + len(separator) * max(len(parts) - 1, 0), "the joined text")
        return method(parts)

    return join


_CHECKS: dict[str, Callable[..., None]] = {
    "ljust": _width,
    "rjust": _width,
    "center": _width,
    "zfill": _width,
    "expandtabs": _expandtabs,
    "replace": _replace,
}


def guarded_getattr(obj: Any, name: str, default: Any = None, getattr: Any = getattr) -> Any:
    """RestrictedPython's `safer_getattr`, with the growing methods of strings and bytes size-checked."""
    value = safer_getattr(obj, name, default, getattr)
    if not isinstance(obj, _TEXT):
        return value
    if name == "join":
        return _checked_join(obj, value)
    check = _CHECKS.get(name)
    if check is None:
        return value
    method = value

    def checked(*args: Any, **kwargs: Any) -> Any:
        check(obj, *args, *kwargs.values())
        return method(*args, **kwargs)

    return checked


def guarded_mod(left: Any, right: Any) -> Any:
    """`a % b`: printf-style formatting of text is checked for widths past the cap."""
    if isinstance(left, _TEXT):
        spec = left.decode("latin-1") if isinstance(left, bytes | bytearray) else left
        numbers = [n for match in _PRINTF.findall(spec) for n in match if n and n != "*"]
        if any(len(n) >= 30 or int(n) > MAX_SEQUENCE_LENGTH for n in numbers):
            raise ScriptTooLarge("a width in the format would be too large for a script")
        values = right if isinstance(right, tuple) else (right,)
        if "*" in spec and any(isinstance(v, int) and v > MAX_SEQUENCE_LENGTH for v in values):
            raise ScriptTooLarge("a width in the format would be too large for a script")
    return left % right


def guarded_format_value(value: Any, spec: Any) -> Any:
    """An f-string field with a format spec (`f"{x:>{n}}"`): the spec's widths are checked first."""
    if isinstance(spec, str) and _spec_too_wide(spec):
        raise ScriptTooLarge("a width in the format would be too large for a script")
    return value
