"""A finished survey is evidence for its plan item: items 1, 9 and 26 are marked done citing the surveys,
and the annual report's survey section shows the year's surveys with their participation."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.integration.survey_steps import STAFF, answer_of, open_survey, survey_body


def _mark(api: Api, number: int, user: str, survey_id: int) -> Any:
    data = {"comment": "Сауалнама өткізілді", "evidence_kind": "survey", "evidence_ref": str(survey_id)}
    return api.post(f"/plan/items/{number}/mark", user, json={"data": data})


def test_items_1_9_and_26_are_marked_done_with_the_surveys_and_the_report_shows_them(api: Api) -> None:
    rt = api.rt
    knowledge = open_survey(api, rt, STAFF[:4])
    for n, user in enumerate(STAFF[:3]):
        assert (
            api.post(f"/surveys/{knowledge}/answers", user, json={"answers": answer_of(n)}).status_code == 201
        )
    assert api.post(f"/surveys/{knowledge}/close", "responsible").status_code == 200

    body = survey_body(rt, STAFF[:3], "named", "competences")
    competences = api.post("/surveys", "hr", json=body).get_json()["id"]
    assert api.post(f"/surveys/{competences}/open", "hr").status_code == 200
    interview = {"q1": 3, "q2": 2, "q3": ["o1"], "q4": ["o1"], "q6": ["o2"]}
    for user in STAFF[:3]:
        recorded = api.post(
            f"/surveys/{competences}/answers", "hr", json={"respondent": user, "answers": interview}
        )
        assert recorded.status_code == 201, recorded.get_json()
    assert api.get(f"/surveys/{competences}", "hr").get_json()["status"] == "closed"  # everyone interviewed

    usage_body = survey_body(rt, STAFF[:5], "anonymous", "ai_usage")
    usage = api.post("/surveys", "wg_chair", json=usage_body).get_json()["id"]
    assert api.post(f"/surveys/{usage}/open", "wg_chair").status_code == 200
    usage_answer = {"q1": "o2", "q2": ["o1"], "q3": ["o1"], "q4": ["o1", "o2"], "q5": 4, "q7": ["o2"]}
    for user in STAFF[:5]:
        assert api.post(f"/surveys/{usage}/answers", user, json={"answers": usage_answer}).status_code == 201

    # A draft is evidence of nothing; a missing number neither.
    draft = api.post("/surveys", "responsible", json={"template": "ai_knowledge"}).get_json()["id"]
    refused = _mark(api, 1, "wg_chair", draft)
    assert refused.status_code == 422 and set(refused.get_json()["fields"]) == {"evidence_ref"}
    assert _mark(api, 1, "wg_chair", 99999).status_code == 422

    for item, survey_id, user in (
        (1, knowledge, "wg_chair"),
        (9, competences, "wg_chair"),
        (26, usage, "wg_chair"),
    ):
        done = _mark(api, item, user, survey_id)
        assert done.status_code == 200, done.get_json()
        assert done.get_json()["mark"]["evidence"] == {"kind": "survey", "ref": str(survey_id)}
    for item in (1, 9, 26):
        assert api.get(f"/plan/items/{item}", "staff1").get_json()["mark"]["evidence"]["kind"] == "survey"

    report = api.get("/reports/annual", "responsible").get_json()["figures"]["extra"]
    assert report["survey_results"] == {
        "surveys": 4 - 1,
        "answers": 3 + 3 + 5,
        "item_1_asked": 4,
        "item_1_answered": 3,
        "item_9_asked": 3,
        "item_9_answered": 3,
        "item_26_asked": 5,
        "item_26_answered": 5,
    }
    client = api.client
    from tests.conftest import login

    login(client, "responsible")
    page = client.get("/reports/annual").get_data(as_text=True)
    assert "Сауалнама нәтижелері" in page and "26-тармақ: жауап бергендер" in page
