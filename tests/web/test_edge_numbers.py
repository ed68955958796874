"""Numbers no row can hold never reach the database: ids past PostgreSQL's integer find no route (404),
query numbers past it are refused (400), pages past the last are clamped — never a 500 (issue 17.1)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import Api, login

HUGE = "9" * 23  # the id that answered 500 (OverflowError on SQLite, integer out of range on PostgreSQL)
BIG = "3000000000"  # past PostgreSQL's integer, within SQLite's

API_ROUTES = [
    "/tasks/{}",
    "/instances/{}",
    "/orders/{}",
    "/incidents/{}",
    "/incidents/{}/minutes.pdf",
    "/tools/{}",
    "/tools/{}/conclusion.pdf",
    "/consultations/{}",
    "/amendments/{}",
    "/acts/ai_regulation/editions/{}",
    "/plan/items/{}",
]


@pytest.mark.parametrize("number", [HUGE, BIG])
@pytest.mark.parametrize("route", API_ROUTES)
def test_an_id_no_row_can_have_is_a_404_in_the_api(api: Api, route: str, number: str) -> None:
    answer = api.get(route.format(number), "admin")
    assert answer.status_code == 404, (route, answer.status_code)
    assert answer.get_json()["error"] == "not_found"


@pytest.mark.parametrize("number", [HUGE, BIG])
def test_posting_to_an_id_no_row_can_have_is_a_404(api: Api, number: str) -> None:
    for route in ("/tasks/{}/claim", "/tasks/{}/unclaim", "/tasks/{}/complete", "/incidents/{}/reopen"):
        assert api.post(route.format(number), "admin", json={}).status_code == 404, route


@pytest.mark.parametrize("query", ["offset", "limit", "instance_id"])
def test_a_query_number_out_of_range_is_a_422_naming_it(api: Api, query: str) -> None:
    for value in (HUGE, "-1"):
        answer = api.get(f"/tasks?{query}={value}", "admin")
        assert answer.status_code == 422, (query, value, answer.status_code)
        assert query in answer.get_json()["fields"], answer.get_json()
    assert api.get(f"/orders?offset={HUGE}", "admin").status_code == 422
    assert api.get(f"/incidents?offset={HUGE}", "responsible").status_code == 422
    assert api.get(f"/consultations?offset={HUGE}", "responsible").status_code == 422


def test_pages_ids_and_numbers_in_pages_never_fail(app: Flask, api: Api) -> None:
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    for url in (
        f"/tasks/{HUGE}",
        f"/instances/{HUGE}",
        f"/orders/{HUGE}",
        f"/tools/{HUGE}",
        f"/consultations/{HUGE}",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/instances?page={HUGE}",
        f"/inbox?scope=all&page={HUGE}",
        f"/orders?page={HUGE}",
        f"/incidents?page={HUGE}",
        f"/consultations?page={HUGE}",
        f"/plan?stage={HUGE}",
    ):
        assert client.get(url).status_code == 200, url  # an empty page past the last one
    for url in (f"/acts/ai_regulation/compare?from={HUGE}&to=1", f"/orders?year={HUGE}"):
        assert client.get(url).status_code == 400, url
