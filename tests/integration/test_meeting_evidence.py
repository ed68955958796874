"""Plan items 4, 16 and 28 marked done with approved minutes as evidence: a draft does not count, an act
discussion shows the edition's acknowledgement campaign, a secret council meeting never leaks."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from service.platform.campaigns import store
from service.platform.persistence.models import User
from tests.conftest import Api
from tests.integration.meeting_steps import attend, call, decide, due
from tests.integration.test_meetings import _incident_ref


def mark(api: Api, number: int, ref: str, user: str = "wg_chair") -> Any:
    data = {"comment": "Хаттама бекітілді", "evidence_kind": "meeting", "evidence_ref": ref}
    return api.post(f"/plan/items/{number}/mark", user, json={"data": data})


def approved(api: Api, meeting: dict[str, Any]) -> str:
    assert attend(api, meeting, absent=()).status_code == 200
    assert decide(api, meeting["id"], meeting["agenda"][0]["id"]).status_code == 201
    assert api.post(f"/meetings/{meeting['id']}/approve", "wg_chair").status_code == 200
    return str(meeting["id"])


def test_items_4_16_and_28_are_marked_done_citing_approved_minutes(api: Api) -> None:
    quarterly = call(api)
    draft = mark(api, 4, str(quarterly["id"]))
    assert draft.status_code == 422 and "evidence_ref" in draft.get_json()["fields"]  # not approved yet
    ref = approved(api, quarterly)
    done = mark(api, 4, ref)
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["mark"]["evidence"] == {"kind": "meeting", "ref": ref}

    # Item 16: the four acts discussed; the agenda links the edition and shows its acknowledgement form.
    with api.rt.db.session() as session:
        staff = [u.id for u in session.query(User).filter(User.username.in_(["staff1", "staff2"]))]
        store.open_campaign(
            session,
            api.rt.features,
            kind="act_edition_acknowledgement",
            audience=staff,
            subject_ref="ai_regulation/1",
        )
    acts = call(
        api,
        plan_item=16,
        agenda=[
            {
                "title": "ЖИ-ді жауапты пайдалану туралы ереже",
                "link_kind": "act_edition",
                "link_ref": "ai_regulation/1",
            },
            {"title": "Кеңес туралы ереже", "presenter": "Гүлнар Әлібекқызы"},
        ],
    )
    link = acts["agenda"][0]["link"]
    assert link["ref"] == "ai_regulation/1" and (link["acknowledged"], link["audience"]) == (0, 2)
    assert mark(api, 16, approved(api, acts)).status_code == 200

    # Item 28: the council's minutes; whoever may not read them sees no reference.
    council = call(
        api,
        kind="council",
        invited_roles=["council"],
        invitees=[],
        plan_item=28,
        agenda=[{"title": "Инцидентті қарау", "link_kind": "incident", "link_ref": _incident_ref(api)}],
    )
    secret = approved(api, council)
    assert mark(api, 28, secret).status_code == 200
    assert api.get("/plan/items/28", "council1").get_json()["mark"]["evidence"] == {
        "kind": "meeting",
        "ref": secret,
    }
    assert api.get("/plan/items/28", "staff2").get_json()["mark"]["evidence"] == {
        "kind": "meeting",
        "ref": None,
    }
    assert api.get("/plan/items/4", "director").get_json()["status"] == "done"


def test_the_annual_report_counts_meetings_by_kind_and_follow_ups_done_on_time(api: Api) -> None:
    quarterly = call(api)
    attend(api, quarterly, absent=())
    tasks = [
        {"assignee": "ict", "due_on": due(5), "text": "Құралдар тізімін жаңарту"},
        {"assignee": "staff1", "due_on": due(6), "text": "Сынып сағатын өткізу"},
    ]
    assert decide(api, quarterly["id"], quarterly["agenda"][0]["id"], followups=tasks).status_code == 201
    assert api.post(f"/meetings/{quarterly['id']}/approve", "wg_chair").status_code == 200
    parents = call(api, kind="parents", invited_roles=[], invitees=["staff2"], external_count=30)
    approved(api, parents)
    call(api, kind="training")  # not approved: not counted
    pending = api.get("/tasks", "ict").get_json()["campaign_tasks"]
    task = next(t for t in pending if t["kind"] == "meeting_followup")
    assert api.post(f"/campaign-tasks/{task['id']}/respond", "ict", json={}).status_code == 200

    section = api.get("/reports/annual", "responsible").get_json()["figures"]["extra"]["meetings"]
    assert section["meetings_working_group"] == 1 and section["meetings_parents"] == 1
    assert section["meetings_training"] == 0 and section["meetings_council"] == 0
    assert (section["followups"], section["followups_on_time"], section["followups_late"]) == (2, 1, 0)
    assert section["followups_overdue"] == 0
    # The page and the PDF name the section and its rows in Kazakh, never by their codes.
    from tests.conftest import login

    login(api.client, "responsible")
    page = api.client.get("/reports/annual").get_data(as_text=True)
    assert "Отырыстар мен хаттамалар" in page and "жұмыс тобының отырыстары" in page
    assert "meetings_working_group" not in page and "followups_on_time" not in page
    pdf = api.client.get("/reports/annual.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Отырыстар мен хаттамалар" in text and "мерзімінде орындалғаны" in text
