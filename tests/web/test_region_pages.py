"""The region's dashboard and schools pages, with their CSV and XLSX, speak Kazakh or Russian: every
figure's title and category named, no English sentence and no code the service knows."""

from __future__ import annotations

import pytest
from flask import Flask

from service.platform.persistence import tenancy
from tests.conftest import Api
from tests.integration.region_steps import a_year_in_two_schools
from tests.web.sweep import Sweep, download_text, known_codes, signed_in, speak, visible_text

# What the figures' categories are called in each language (a code shown instead would be caught too).
EXPECTED = {
    "kk": ("Жоспардың орындалуы", "Дербес деректердің жария болуы", "жауап бергендер", "2-кезең"),
    "ru": ("Выполнение плана", "Раскрытие персональных данных", "ответили", "Этап 2"),
}
# The page's own words: the totals' row under every figure, the page's line, the search box.
PAGE_WORDS = {
    "kk": (
        "Өңір бойынша барлығы (мектептер: 2)",
        "Осы беттегі мектептер: 2 ішінен 2",
        "Мектептің коды немесе атауы",
    ),
    "ru": ("Итого по региону (школ: 2)", "Школ на этой странице: 2 из 2", "Код или название школы"),
}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_dashboard_speaks_the_readers_language(app: Flask, api: Api, lang: str) -> None:
    a_year_in_two_schools(api)
    with tenancy.all_schools():
        speak(api.rt, lang)  # the region's administrator too
    sweep = Sweep(app, known_codes(api.rt, api.rt.features.region_figures))
    client = signed_in(app, "region_admin")
    page = client.get("/region")
    assert page.status_code == 200
    text = visible_text(page.get_data(as_text=True))
    sweep.check(lang, "region_admin", "/region", text)
    for expected in EXPECTED[lang] + PAGE_WORDS[lang]:
        assert expected in text, expected
    assert text.count(PAGE_WORDS[lang][0]) == len(api.rt.features.region_figures)  # a total per figure
    found = client.get("/region?q=zzz")  # no school matches: said so, in the reader's language
    assert found.status_code == 200 and 'data-testid="region-none-found"' in found.get_data(as_text=True)
    sweep.check(lang, "region_admin", "/region?q=zzz", visible_text(found.get_data(as_text=True)))
    assert text.count("<svg") == 0 and page.get_data(as_text=True).count("<svg") == 5  # a chart per figure
    for url in ("/region/schools", "/region/dashboard.csv", "/region/dashboard.xlsx"):
        answer = client.get(url)
        assert answer.status_code == 200, url
        kind = answer.content_type or ""
        content = (
            visible_text(answer.get_data(as_text=True))
            if "html" in kind
            else download_text(kind, answer.data)
        )
        sweep.check(lang, "region_admin", url, content)
        if "html" not in kind:
            assert EXPECTED[lang][0] in content
    report = sorted({str(f) for f in sweep.findings})
    assert report == [], f"{len(report)} findings:\n" + "\n".join(report)
