"""form-js `conditional.hide` (FEEL) read as our forms' `x-visible-if` and required-when-shown rules.

A form-js field is hidden while its hide expression is true, and a hidden field is neither validated nor
submitted. Our forms say the opposite way round: a field is shown while each field named in its
`x-visible-if` has one of the listed values, and a field required only when shown is an `allOf` if/then
rule (the form builder's shape), never in the top-level `required`. The expression is read with the FEEL
translation of flow conditions (`zeebe.translate_feel`), then evaluated with FEEL's rules over every
value the fields it names can hold: a choice with static values, a checkbox (true/false) or a whole
number between a small minimum and maximum. The values where it does not hide the field are the
visible ones, as long as they are "this field one of these, and that one one of those" exactly; anything
else (functions, a field with free values or not in the form, a value the field can never hold, a mix of
fields our conditions cannot say) is a problem for the task that shows the form, never dropped.

One difference stays, by the nature of `x-visible-if`: while a field named by a condition has no value
yet (no choice made), the conditional field is hidden here, where form-js would show it unless the
expression hides it for an empty value too.
"""

from __future__ import annotations

import ast
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from service.platform.engine.rewrite import Untranslatable

Problem = tuple[str, dict[str, str]]
Visibility = dict[str, list[Any]]  # field → the values under which the conditional field is shown
HIDDEN = "hidden"  # the field is hidden whatever the form holds: it is never shown
MAX_NUMBERS = 50  # a whole-number field with at most this many values counts as a choice
MAX_COMBINATIONS = 100_000  # values of several fields tried together

_ORDERING = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_EQUALITY = {ast.Eq: "=", ast.NotEq: "!="}


@dataclass
class Conditions:
    """What the hide expressions of one form-js form come to besides the fields' own keys: the allOf
    rules requiring a field only while shown, and the problems."""

    rules: list[dict[str, Any]] = field(default_factory=list)  # allOf: required only while shown
    problems: list[Problem] = field(default_factory=list)


class _Refused(Exception):
    """A hide expression (or the field's expressions together) our forms cannot say exactly."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.expression: str | None = None  # the one expression at fault, when it is one

    def problem(self, name: str, expressions: Sequence[str]) -> Problem:
        value = self.expression or _together(expressions)
        return self.code, {"field": name, "value": value, **self.params}


def _together(expressions: Sequence[str]) -> str:
    """A field's hide expressions as one FEEL expression: hidden when any is true."""
    if len(expressions) == 1:
        return expressions[0].strip()
    return "=" + " or ".join(f"({e.strip().removeprefix('=').strip()})" for e in expressions)


def domain(prop: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """Every value a generated field can hold, or None when it has no small fixed set of values."""
    kind = prop.get("type")
    if kind == "boolean":
        return (True, False)
    if kind == "string" and isinstance(prop.get("enum"), list):
        return tuple(dict.fromkeys(prop["enum"]))
    low, high = _whole(prop.get("minimum")), _whole(prop.get("maximum"))
    if kind == "integer" and low is not None and high is not None and 0 <= high - low < MAX_NUMBERS:
        return tuple(range(low, high + 1))
    return None


def _whole(value: Any) -> int | None:
    """A limit that is a whole number (1 or 1.0), else None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    return None


def apply(
    props: dict[str, dict[str, Any]],
    required: list[str],
    hides: Mapping[str, Sequence[str]],
    form_js_keys: set[str],
    translate: Callable[[str], str],
) -> Conditions:
    """Write `x-visible-if` (or `x-hidden`) into `props` for every field with hide expressions, take each
    such required field out of `required`, and return the allOf rules that require it while it is shown.

    `hides` holds each field's hide expressions (its groups' first); `form_js_keys` every key of the
    form-js document, also of fields the generated form could not take (they have no fixed values here).
    """
    result = Conditions()
    own: dict[str, Visibility | str] = {}
    for name, expressions in hides.items():
        if name not in props:
            continue
        try:
            shown = visibility(expressions, name, props, form_js_keys, translate)
        except _Refused as refused:
            result.problems.append(refused.problem(name, expressions))
            continue
        if shown:
            own[name] = shown
    for name in props:
        if name not in own:
            continue
        try:
            shown = _resolved(name, own, [])
        except _Refused as refused:
            result.problems.append(refused.problem(name, hides[name]))
            continue
        if shown == HIDDEN:
            props[name]["x-hidden"] = True  # form-js neither shows nor checks it: not drawn, not required
            if name in required:
                required.remove(name)
        elif shown:
            assert isinstance(shown, dict)
            props[name]["x-visible-if"] = shown
            if name in required:
                required.remove(name)
                result.rules.append(required_while(shown, name))
    return result


def required_while(shown: Visibility, name: str) -> dict[str, Any]:
    """The builder's rule for a field required only while shown: `const` for one value, else `enum`."""
    test = {
        other: {"const": values[0]} if len(values) == 1 else {"enum": list(values)}
        for other, values in shown.items()
    }
    return {"if": {"properties": test, "required": list(shown)}, "then": {"required": [name]}}


def _both(a: Visibility | str, b: Visibility | str) -> Visibility | str:
    """Shown only while both say so (a field and the one its condition names): each field's values
    intersected; never shown when one never is."""
    if a == HIDDEN or b == HIDDEN:
        return HIDDEN
    assert isinstance(a, dict) and isinstance(b, dict)
    out = dict(a)
    for other, values in b.items():
        kept = out.get(other, values)
        out[other] = [v for v in kept if any(_same(v, w) for w in values)]
        if not out[other]:
            return HIDDEN
    return out


def _resolved(name: str, own: Mapping[str, Visibility | str], path: list[str]) -> Visibility | str:
    """A field's visibility with the conditions of the fields it depends on: shown only while they are."""
    if name in path:
        raise _Refused("form_hide_cycle", chain=" → ".join([*path, name]))
    shown = own.get(name, {})
    if shown == HIDDEN or not shown:
        return shown
    assert isinstance(shown, dict)
    out: Visibility | str = dict(shown)
    for other in shown:
        theirs = _resolved(other, own, [*path, name])
        if theirs == HIDDEN:
            # the other field is never shown, so never filled here; form-js would still read its value
            raise _Refused("form_hide_inexact")
        out = _both(out, theirs)
    return out


def visibility(
    expressions: Sequence[str],
    name: str,
    props: Mapping[str, Mapping[str, Any]],
    form_js_keys: set[str],
    translate: Callable[[str], str],
) -> Visibility | str:
    """The values under which the field `name` is shown, HIDDEN, or {} (always shown); raises _Refused.

    Several expressions (a group's and the field's own) hide the field when any of them is true: they are
    evaluated together, so "hidden for every value" and "shown only while empty" are told apart."""
    trees: list[ast.expr] = []
    names: list[str] = []
    domains: dict[str, tuple[Any, ...]] = {}
    for expression in expressions:
        try:
            tree, found = _parsed(expression, name, props, form_js_keys, translate, domains)
        except _Refused as refused:
            refused.expression = expression
            raise
        trees.append(tree)
        names += found
    if not trees:
        return {}
    tree = trees[0] if len(trees) == 1 else ast.BoolOp(op=ast.Or(), values=trees)
    return _visible_values(tree, list(dict.fromkeys(names)), domains)


def _parsed(
    expression: str,
    name: str,
    props: Mapping[str, Mapping[str, Any]],
    form_js_keys: set[str],
    translate: Callable[[str], str],
    domains: dict[str, tuple[Any, ...]],
) -> tuple[ast.expr, list[str]]:
    """One hide expression as a checked tree and the fields it names in the order written; each field's
    values go into `domains`."""
    text = expression.strip()
    if not text.startswith("="):
        # not an expression: form-js does not evaluate it, and guessing what was meant is not ours to do
        raise _Refused("form_hide_feel", construct=text)
    try:
        tree = ast.parse(translate(text), mode="eval").body
    except Untranslatable as err:
        raise _Refused("form_hide_feel", construct=err.construct) from err
    except SyntaxError as err:
        raise _Refused("form_hide_feel", construct=text.lstrip("=").strip()) from err
    found = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Name)), key=lambda n: n.col_offset)
    names = list(dict.fromkeys(n.id for n in found))
    for other in names:
        if other == name:
            raise _Refused("form_hide_cycle", chain=f"{name} → {name}")
        if other not in props:
            code = "form_hide_open_field" if other in form_js_keys else "form_hide_unknown_field"
            raise _Refused(code, other=other)
        values = domain(props[other])
        if values is None:
            raise _Refused("form_hide_open_field", other=other)
        domains[other] = values
    _check(tree, domains, boolean=True)
    return tree, names


def _visible_values(
    tree: ast.expr, names: list[str], domains: Mapping[str, tuple[Any, ...]]
) -> Visibility | str:
    """Try every combination of the fields' values (and no value): the visible ones must be a product."""
    axes = [(*domains[n], None) for n in names]
    count = 1
    for axis in axes:
        count *= len(axis)
    if count > MAX_COMBINATIONS:
        raise _Refused("form_hide_inexact")
    combos = itertools.product(*axes)
    visible = [combo for combo in combos if _value(tree, dict(zip(names, combo, strict=True))) is not True]
    if not visible:
        return HIDDEN
    shown: Visibility = {}
    size = 1
    for index, (other, axis) in enumerate(zip(names, axes, strict=True)):
        seen = [v for v in axis if any(_same(combo[index], v) for combo in visible)]
        size *= len(seen)
        values = [v for v in seen if v is not None]
        if not values:
            raise _Refused("form_hide_inexact")  # shown only while that field is empty
        if len(seen) < len(axis):
            shown[other] = values
    if size != len(visible):
        raise _Refused("form_hide_inexact")  # e.g. hidden while a = "x" and b = "y": not one list per field
    return shown


# --- FEEL's rules, on the translated expression ------------------------------------------------------


def _literal(node: ast.expr) -> tuple[bool, Any]:
    """(True, value) for a literal (`"x"`, `3`, `-2.5`, `true`, `null`), else (False, None)."""
    if isinstance(node, ast.Constant):
        return True, node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and _kind(node.operand.value) == "number"
    ):
        number: Any = node.operand.value
        return True, -number
    return False, None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else "other"


def feel(value: Any) -> str:
    """A value as FEEL writes it: `"approve"`, `3`, `true`, `null`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def _check(node: ast.expr, domains: Mapping[str, tuple[Any, ...]], boolean: bool = False) -> None:
    """Refuse what evaluating could not say exactly: shapes beyond comparisons, values a field never holds."""
    if isinstance(node, ast.BoolOp):
        for part in node.values:
            _check(part, domains, boolean=True)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, domains, boolean=True)
    elif isinstance(node, ast.Compare):
        _check_comparison(node, domains)
    elif isinstance(node, ast.Name):
        if boolean and _kind(domains[node.id][0]) != "boolean":
            raise _Refused("form_hide_feel", construct=node.id)  # `=decision`: a choice is not true/false
    elif not _literal(node)[0]:
        raise _Refused("form_hide_feel", construct=ast.unparse(node))
    elif boolean and _kind(_literal(node)[1]) not in ("boolean", "null"):
        raise _Refused("form_hide_feel", construct=feel(_literal(node)[1]))  # `="x"`: a text is not true


def _check_comparison(node: ast.Compare, domains: Mapping[str, tuple[Any, ...]]) -> None:
    if len(node.ops) != 1:
        raise _Refused("form_hide_feel", construct=ast.unparse(node))
    op, left, right = node.ops[0], node.left, node.comparators[0]
    symbol = _EQUALITY.get(type(op)) or _ORDERING.get(type(op))
    for side in (left, right):
        if not isinstance(side, ast.Name) and not _literal(side)[0]:
            raise _Refused("form_hide_feel", construct=ast.unparse(side))
    named = [s.id for s in (left, right) if isinstance(s, ast.Name)]
    literals = [_literal(s)[1] for s in (left, right) if not isinstance(s, ast.Name)]
    kinds = {_kind(domains[n][0]) for n in named} | {_kind(v) for v in literals if v is not None}
    construct = " ".join([_written(left), str(symbol), _written(right)])
    if symbol in _ORDERING.values() and (kinds != {"number"} or None in literals):
        raise _Refused("form_hide_feel", construct=construct)  # only numbers have an order here
    if len(kinds) > 1:
        if len(named) == 1 and literals:
            raise _bad_value(named[0], literals[0], domains)
        raise _Refused("form_hide_feel", construct=construct)
    compared = named[0] if len(named) == 1 and literals and literals[0] is not None else None
    possible = compared is not None and any(_same(literals[0], v) for v in domains[compared])
    if symbol in _EQUALITY.values() and compared is not None and not possible:
        raise _bad_value(compared, literals[0], domains)  # a typo would hide it never (or always)


def _bad_value(name: str, literal: Any, domains: Mapping[str, tuple[Any, ...]]) -> _Refused:
    values = ", ".join(feel(v) for v in domains[name])
    return _Refused("form_hide_bad_value", other=name, literal=feel(literal), values=values)


def _written(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else feel(_literal(node)[1])


def _same(a: Any, b: Any) -> bool:
    """FEEL's equality: values of different kinds are never equal (true is not 1)."""
    return _kind(a) == _kind(b) and a == b


def _value(node: ast.expr, env: Mapping[str, Any]) -> Any:
    """The expression's FEEL value for one combination: true, false or null (unknown)."""
    if isinstance(node, ast.Name):
        return env[node.id]
    is_literal, literal = _literal(node)
    if is_literal:
        return literal
    if isinstance(node, ast.UnaryOp):  # not(…): the only other unary operator _check lets through
        inner = _value(node.operand, env)
        return (not inner) if isinstance(inner, bool) else None
    if isinstance(node, ast.BoolOp):
        values = [_value(part, env) for part in node.values]
        decisive, other = (False, True) if isinstance(node.op, ast.And) else (True, False)
        if any(v is decisive for v in values):
            return decisive
        return other if all(v is other for v in values) else None
    assert isinstance(node, ast.Compare)
    left, right = _value(node.left, env), _value(node.comparators[0], env)
    op = type(node.ops[0])
    if op in _EQUALITY:
        if left is None or right is None:
            equal: bool | None = left is None and right is None
        else:
            equal = left == right if _kind(left) == _kind(right) else None
        return equal if op is ast.Eq or equal is None else not equal
    if _kind(left) != "number" or _kind(right) != "number":
        return None  # FEEL compares the order of numbers; with null it is null
    return {ast.Lt: left < right, ast.LtE: left <= right, ast.Gt: left > right, ast.GtE: left >= right}[op]
