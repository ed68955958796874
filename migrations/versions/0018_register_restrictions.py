"""The register shows only restrictions written as restrictions; the chair confirms a kept tally.

- `ai_tool.tally_json`: the tally of the last closed vote (counts and signers per verdict, quorum),
  shown on the chair's confirmation task.
- `incident.tool_restriction`: the restriction the council chair writes for the register
  (restrict_tool); `incident.decision_change_reason`: why the chair recorded another decision
  than the vote's.
- Existing data: a council decision used to append "[<journal number>] <recommendations>" — internal
  follow-ups naming people and dates — to the tool's restrictions, which every teacher reads. Those
  entries are removed from the register. Nothing is lost: the same text is the incident's
  `recommendations` (and its follow-up rows), and the audit log's `tool.status` event keeps the reason
  as written. Removing them (rather than hiding them on read) keeps the register's column the one
  place that holds what is in force, so the API, pages, exports and PDFs cannot show them by mistake.

Revision ID: 0018_register_restrictions
Revises: 0017_audit_streams
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0018_register_restrictions"
down_revision = "0017_audit_streams"
branch_labels = None
depends_on = None


def appended_by_council(text: str, incidents: dict[str, str]) -> bool:
    """Whether a restriction is one the old council decision appended: "[<number>] <recommendations or
    'incident <number>'>" for an incident of that journal number (exactly as the old code wrote it)."""
    if not text.startswith("["):
        return False
    number, _, rest = text[1:].partition("] ")
    if number not in incidents:
        return False
    written = incidents[number]
    return rest == (written or f"incident {number}")


def upgrade() -> None:
    op.add_column("ai_tool", sa.Column("tally_json", sa.Text(), nullable=True))
    op.add_column("incident", sa.Column("tool_restriction", sa.Text(), nullable=True))
    op.add_column("incident", sa.Column("decision_change_reason", sa.Text(), nullable=True))

    bind = op.get_bind()
    incidents: dict[str, str] = {}
    for row in bind.execute(
        sa.text("SELECT id, year, number, recommendations FROM incident WHERE tool_action = 'restrict_tool'")
    ):
        key = f"{row.year}/{row.number}" if row.number else f"#{row.id}"
        incidents[key] = (row.recommendations or "").strip()
    if not incidents:
        return
    for tool in bind.execute(sa.text("SELECT id, restrictions_json FROM ai_tool")).fetchall():
        kept = json.loads(tool.restrictions_json or "[]")
        cleaned = [r for r in kept if not appended_by_council(str(r.get("text", "")), incidents)]
        if len(cleaned) != len(kept):
            bind.execute(
                sa.text("UPDATE ai_tool SET restrictions_json = :value WHERE id = :id"),
                {"value": json.dumps(cleaned, ensure_ascii=False), "id": tool.id},
            )


def downgrade() -> None:
    # The removed follow-up text is not put back on the register: it was never a restriction.
    op.drop_column("incident", "decision_change_reason")
    op.drop_column("incident", "tool_restriction")
    op.drop_column("ai_tool", "tally_json")
