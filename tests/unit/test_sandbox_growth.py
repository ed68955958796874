"""Single C-level calls that would build a huge value are refused before they run (issue 17, items 2-3)."""

from __future__ import annotations

import pytest

from service.platform.engine.limits import ScriptTooLarge
from service.platform.engine.sandbox import RestrictedEnvironment


@pytest.mark.parametrize(
    "source",
    [
        "x = 'x'.ljust(1500000000)",
        "x = 'x'.rjust(10**9, '-')",
        "x = 'x'.center(10**9)",
        "x = '1'.zfill(10**9)",
        "x = ('\\t' * 1000).expandtabs(10**6)",
        "x = ''.join(['ab'] * 600000)",
        "x = '-'.join(['a'] * 999999)",
        "x = ('a' * 100000).replace('a', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb')",
        "x = 'ab'.replace('', 'c' * 900000)",
        "x = '%1000000000s' % 'x'",
        "x = '%*s' % (10**9, 'x')",
        "n = 10**9\nx = f'{1:>{n}}'",
        "x = f'{1:>999999999999999999999}'",
        "x = pow(3, 10**4000, 10**4000 + 7)",
        "x = 10**6000",
        "x = 2**20000",
    ],
)
def test_one_call_that_would_build_a_huge_value_is_refused(source: str) -> None:
    with pytest.raises(ScriptTooLarge):
        RestrictedEnvironment(time_limit=None).execute(source, {})


def test_ordinary_text_work_still_runs() -> None:
    data: dict[str, object] = {"name": "Айгүл", "n": 7}
    RestrictedEnvironment().execute(
        "a = name.ljust(10, '.')\n"
        "b = ', '.join([name, 'Ерлан'])\n"
        "c = f'Бұйрық № {n:>5}'\n"
        "d = '%-8s|%03d' % (name, n)\n"
        "e = f'{n:>4}|{name:.2}'\n"
        "f = 'a-b'.replace('-', ' – ')\n"
        "g = pow(3, 200, 1000003) + 2**1000 % 7\n"
        "h = f'Телефон 87011234567: {name}'\n",
        data,
    )
    assert data["a"] == "Айгүл....." and data["b"] == "Айгүл, Ерлан"
    assert data["c"] == "Бұйрық №     7" and data["d"] == "Айгүл   |007"
    assert data["e"] == "   7|Ай" and data["f"] == "a – b"
    assert data["g"] == pow(3, 200, 1000003) + 2**1000 % 7
    assert data["h"] == "Телефон 87011234567: Айгүл"
