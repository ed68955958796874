"""Issue 15 items 3 and 4: the chair confirms a tool evaluation with the tally on screen; nothing reads as
in force on the register before that; the register's restrictions are written by a person as
restrictions, and the council's follow-up recommendations stay inside the incident."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from service.platform.persistence.migrate import alembic_config, upgrade
from service.platform.persistence.models import User
from tests.conftest import Api, login
from tests.integration.test_incident_api import REPORT, report, triage
from tests.integration.test_incident_api import vote as council_vote
from tests.integration.test_tool_evaluation_api import start_to_vote, vote, vote_data
from tests.integration.test_tool_register import registered, tool_id_of

RESTRICTION = "Оқушылардың дербес деректерін енгізбеу"


def _full_names(api: Api) -> dict[str, str]:
    with api.rt.db.session() as session:
        return {r.username: r.full_name for r in session.execute(sa.select(User.username, User.full_name))}


def _register_row(api: Api, user: str, tool_id: int) -> dict[str, object]:
    (row,) = [t for t in api.get("/tools", user).get_json()["tools"] if t["id"] == tool_id]
    return dict(row)


def test_the_chair_confirms_with_the_tally_and_nothing_is_in_force_before(api: Api) -> None:
    iid = start_to_vote(api)
    assert (
        vote(api, "commission1", iid, vote_data("approve_with_restrictions", RESTRICTION)).status_code == 200
    )
    assert (
        vote(api, "commission2", iid, vote_data("approve_with_restrictions", "Тек жобалар")).status_code
        == 200
    )
    assert vote(api, "commission3", iid, vote_data("reject")).status_code == 200
    assert vote(api, "commission4", iid, vote_data("approve_with_restrictions", "")).status_code == 422
    assert vote(api, "commission4", iid, vote_data("approve")).status_code == 200
    tool_id = tool_id_of(api, iid)

    # The vote has closed (4 of 5 decide it whatever the fifth does) and awaits the chair: under
    # review, no restriction in force on the register, in the API and on the pages.
    row = _register_row(api, "director", tool_id)
    assert row["status"] == "under_review" and row["restrictions"] == []
    client = api.client.application.test_client()
    login(client, "director")
    listing = client.get("/tools").get_data(as_text=True)
    assert RESTRICTION not in listing
    page = client.get(f"/tools/{tool_id}").get_data(as_text=True)
    assert 'data-testid="restrictions"' not in page and 'data-testid="tool-outcome-pending"' in page

    # The chair's task shows the tally: count and signers per option, the quorum and whether it is met.
    chair_task = api.open_task("wg_chair", iid, "Task_chair_confirmation", scope="roles")
    chair = api.client.application.test_client()
    login(chair, "wg_chair")
    html = chair.get(f"/tasks/{chair_task['id']}").get_data(as_text=True)
    assert 'data-testid="vote-tally"' in html
    tally = html.split('data-testid="vote-tally"', 1)[1].split("</section>", 1)[0]
    restricted = tally.split('data-testid="tally-approve_with_restrictions"', 1)[1].split("</tr>", 1)[0]
    assert "<strong>2</strong>" in restricted
    names = _full_names(api)
    assert names["commission1"] in restricted and names["commission2"] in restricted
    assert names["commission4"] in tally.split('data-testid="tally-approve"', 1)[1].split("</tr>", 1)[0]
    rejected = tally.split('data-testid="tally-reject"', 1)[1].split("</tr>", 1)[0]
    assert "<strong>1</strong>" in rejected
    quorum = tally.split('data-testid="tally-quorum"', 1)[1].split("</p>", 1)[0]
    assert "4" in quorum and "5" in quorum and "3" in quorum  # voted 4 of 5; quorum 3
    assert "Кворум бар" in quorum or "quorum is reached" in quorum
    assert RESTRICTION in tally  # the members' proposals, to confirm or reword

    # The chair words the restrictions for the register; only then are they in force.
    done = api.post(
        f"/tasks/{chair_task['id']}/complete",
        "wg_chair",
        {
            "data": {
                "decision": "approve",
                "conclusion": "Шектеулермен рұқсат.",
                "register_restrictions": f"{RESTRICTION}\n\n  Тек мұғалімдер  ",
            }
        },
    )
    assert done.status_code == 200, done.get_json()
    row = _register_row(api, "staff1", tool_id)
    assert row["status"] == "permitted_with_restrictions"
    assert row["restrictions"] == [RESTRICTION, "Тек мұғалімдер"]


def test_without_the_chairs_wording_the_members_restrictions_are_confirmed(api: Api) -> None:
    tool_id = tool_id_of(api, registered(api, ["approve_with_restrictions"] * 3))
    assert _register_row(api, "staff1", tool_id)["restrictions"] == ["Only for drafts"] * 3


def test_a_council_restriction_is_what_the_chair_wrote_never_the_follow_ups(api: Api) -> None:
    tool_id = tool_id_of(api, registered(api, ["approve"] * 3))
    name = str(_register_row(api, "director", tool_id)["name"])
    iid = report(api, data={**REPORT, "tool": name})
    assert triage(api, iid, {"severity": "serious", "decision": "escalate"}).status_code == 200
    for member in ("council1", "council2", "council3", "council4"):
        assert council_vote(api, iid, member, "restrict_tool").status_code == 200
    chair = api.open_task("wg_chair", iid, "Task_chair_decision", scope="roles")
    follow_up = "ict; 2099-12-20; Құралдың баптауларын тексеру"
    missing = api.post(
        f"/tasks/{chair['id']}/complete",
        "wg_chair",
        json={"data": {"decision": "restrict_tool", "recommendations": follow_up}},
    )
    assert missing.status_code == 422 and "tool_restriction" in missing.get_json()["fields"]
    done = api.post(
        f"/tasks/{chair['id']}/complete",
        "wg_chair",
        json={
            "data": {
                "decision": "restrict_tool",
                "recommendations": follow_up,
                "tool_restriction": RESTRICTION,
            }
        },
    )
    assert done.status_code == 200, done.get_json()

    assert _register_row(api, "staff1", tool_id)["restrictions"] == [RESTRICTION]
    client = api.client.application.test_client()
    login(client, "staff1")
    for page in (client.get("/tools"), client.get(f"/tools/{tool_id}")):
        text = page.get_data(as_text=True)
        assert RESTRICTION in text and "Құралдың баптауларын тексеру" not in text and "2099-12-20" not in text
    # The follow-up stays in the incident, for those who read it in full.
    incident = api.get("/incidents", "responsible").get_json()["incidents"][0]
    detail = api.get(f"/incidents/{incident['id']}", "responsible").get_json()
    assert detail["tool_restriction"] == RESTRICTION
    assert [f["action"] for f in detail["follow_ups"]] == ["Құралдың баптауларын тексеру"]


def test_the_migration_takes_appended_follow_ups_off_the_register(tmp_path: Path) -> None:
    """Data written by the old council decision: "[2026/1] <recommendations>" among the restrictions."""
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(url)
    command.downgrade(alembic_config(url), "0014_campaigns")
    engine = sa.create_engine(url)
    recommendations = "ict; 2026-12-20; Құралдың баптауларын тексеру"
    kept = [
        {"text": "Only for drafts", "by": "commission1"},
        {"text": f"[2026/1] {recommendations}", "by": "wg_chair"},
        {"text": "[2026/2] incident 2026/2", "by": "wg_chair"},
        {"text": "[2026/9] written by a member in brackets", "by": "commission2"},
    ]
    with engine.begin() as conn:
        _insert(
            conn,
            "incident",
            {
                "id": 1,
                "year": 2026,
                "number": 1,
                "tool_action": "restrict_tool",
                "recommendations": recommendations,
            },
        )
        _insert(
            conn,
            "incident",
            {
                "id": 2,
                "instance_id": 2,
                "year": 2026,
                "number": 2,
                "tool_action": "restrict_tool",
                "recommendations": None,
            },
        )
        _insert(
            conn,
            "ai_tool",
            {
                "id": 1,
                "instance_id": 3,
                "name": "ChatHelper",
                "restrictions_json": json.dumps(kept, ensure_ascii=False),
            },
        )
    upgrade(url)
    with engine.connect() as conn:
        left = json.loads(conn.execute(sa.text("SELECT restrictions_json FROM ai_tool")).scalar_one())
    engine.dispose()
    assert [r["text"] for r in left] == ["Only for drafts", "[2026/9] written by a member in brackets"]


def _insert(conn: sa.Connection, table: str, values: dict[str, object]) -> None:
    """A row with `values`, every other NOT NULL column filled with a plain value of its type."""
    for column in sa.inspect(conn).get_columns(table):
        name = column["name"]
        if name in values or column["nullable"] or column.get("autoincrement") is True:
            continue
        kind = str(column["type"]).upper()
        if "INT" in kind or "BOOL" in kind:
            values[name] = 0
        elif "DATE" in kind or "TIME" in kind:
            values[name] = "2026-01-01 00:00:00"
        else:
            values[name] = ""
    names = ", ".join(values)
    params = ", ".join(f":{n}" for n in values)
    conn.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({params})"), values)
