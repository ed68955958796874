"""Every page a person can reach after a full school year — orders, tools, incidents, acts, the plan,
consultations, the report, their diagrams, PDFs and exports — speaks Kazakh or Russian: no code the
service knows (read from its registry, role table, forms, diagrams and database) and no English sentence."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import Api
from tests.web.sweep import Sweep, known_codes, school_year, signed_in, speak, visible_text

READERS = (
    "director",
    "wg_chair",
    "responsible",
    "lawyer",
    "staff1",
    "staff2",
    "commission1",
    "council1",
    "admin",
)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_page_of_a_school_year_speaks_the_readers_language(app: Flask, api: Api, lang: str) -> None:
    school_year(api)
    sweep = Sweep(app, known_codes(api.rt))
    assert {"tool.propose", "approve_with_restrictions", "director", "staff", "restrict_tool"} <= sweep.codes
    speak(api.rt, lang)
    for reader in READERS:
        sweep.crawl(reader, lang)
    assert sweep.pages > 150, sweep.pages  # the crawl really went through the year's pages
    # An address typed by hand: a comparison without edition numbers answers in the reader's language.
    client = signed_in(app, "staff1")
    bad = client.get("/acts/ai_regulation/compare?from=x")
    assert bad.status_code == 400
    sweep.check(
        lang, "staff1", "/acts/ai_regulation/compare?from=x", visible_text(bad.get_data(as_text=True))
    )
    report = sorted({str(f) for f in sweep.findings})
    assert report == [], f"{len(report)} findings:\n" + "\n".join(report)
