"""The register of AI tools and the commission's signed votes (written by the tool-evaluation process)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.clock import utcnow
from service.platform.persistence.models import Base, UtcDateTime


class Tool(Base):
    """One AI tool in the register; its evaluation is the instance that proposed it (reopened on review)."""

    __tablename__ = "ai_tool"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    vendor: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    processes_json: Mapped[str] = mapped_column(String(500), default="[]")  # the allowed uses
    data_processed: Mapped[str] = mapped_column(Text, default="")
    personal_data: Mapped[bool] = mapped_column(Boolean, default=False)  # the proposal's statement
    # Whether staff may enter personal data into it: no unless the chair allows it (Regulation 8.1).
    personal_data_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    age_limit: Mapped[str] = mapped_column(String(200), default="")
    cost: Mapped[str] = mapped_column(String(200), default="")
    proposer: Mapped[str] = mapped_column(String(80), default="")
    # under_review → permitted | permitted_with_restrictions | rejected; withdrawn by a council decision
    status: Mapped[str] = mapped_column(String(30), default="under_review", index=True)
    vote_round: Mapped[int] = mapped_column(Integer, default=0)
    vote_members: Mapped[int] = mapped_column(Integer, default=0)  # commission size when the round opened
    outcome: Mapped[str | None] = mapped_column(String(30))  # of the last closed vote, incl. no_quorum
    rule: Mapped[str] = mapped_column(String(200), default="")  # the decision rule applied
    assessment_json: Mapped[str] = mapped_column(Text, default="{}")  # ict's ratings and findings
    # The restrictions in force: written when the chair confirms (their wording, else the members'
    # restrictions they confirm) or by a council decision; read only while the tool is permitted.
    restrictions_json: Mapped[str] = mapped_column(Text, default="[]")
    # The tally of the last closed vote, as the chair confirms it: counts and signers per verdict, quorum.
    tally_json: Mapped[str | None] = mapped_column(Text)
    conclusion: Mapped[str] = mapped_column(Text, default="")
    review_date: Mapped[date | None] = mapped_column(Date)
    memo: Mapped[str] = mapped_column(Text, default="")
    memo_attachment: Mapped[str | None] = mapped_column(String(71))
    conclusion_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ToolVote(Base):
    """A commission member's signed verdict in one vote round; only the fact and time of signing are kept."""

    __tablename__ = "ai_tool_vote"
    __table_args__ = (UniqueConstraint("tool_id", "vote_round", "member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tool_id: Mapped[int] = mapped_column(ForeignKey("ai_tool.id", ondelete="CASCADE"), index=True)
    vote_round: Mapped[int] = mapped_column(Integer)
    task_id: Mapped[int] = mapped_column(Integer, unique=True)
    member: Mapped[str] = mapped_column(String(80))
    member_name: Mapped[str] = mapped_column(String(200), default="")
    decision: Mapped[str] = mapped_column(String(30))
    security: Mapped[int] = mapped_column(Integer)
    data_protection: Mapped[int] = mapped_column(Integer)
    functionality: Mapped[int] = mapped_column(Integer)
    limitations: Mapped[int] = mapped_column(Integer)
    restrictions: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    signature_method: Mapped[str] = mapped_column(String(20))  # password | statement
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RegionTool(Base):
    """A school's evaluation the region adopted into its register (a row of the region): the entry as the
    school's register held it then, so every school reads the region's decision, never the school's rows."""

    __tablename__ = "region_tool"
    __table_args__ = (UniqueConstraint("school_id", "source_tool_id", name="uq_region_tool_source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    source_tool_id: Mapped[int] = mapped_column(ForeignKey("ai_tool.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    vendor: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(30))  # permitted | permitted_with_restrictions
    processes_json: Mapped[str] = mapped_column(String(500), default="[]")
    restrictions_json: Mapped[str] = mapped_column(Text, default="[]")
    personal_data_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    review_date: Mapped[date | None] = mapped_column(Date)
    memo: Mapped[str] = mapped_column(Text, default="")
    adopted_by: Mapped[str] = mapped_column(String(80))
    adopted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ToolAdoption(Base):
    """A school's adoption of a region tool (without its own evaluation) and the restrictions it adds.

    `tool_id` is the entry's id in the region register (the region's own `ai_tool` row, or the school's
    row the region adopted): ids are unique in the deployment, so one number names a register entry.
    """

    __tablename__ = "tool_adoption"
    __table_args__ = (UniqueConstraint("school_id", "tool_id", name="uq_tool_adoption_tool"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tool_id: Mapped[int] = mapped_column(ForeignKey("ai_tool.id"), index=True)
    adopted_by: Mapped[str] = mapped_column(String(80))
    adopted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    restrictions: Mapped[str] = mapped_column(Text, default="")  # the school's own, one per line
    restricted_by: Mapped[str | None] = mapped_column(String(80))
    restricted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
