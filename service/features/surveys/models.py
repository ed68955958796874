"""Surveys' tables: the survey (its questions and audience) and the answers, kept apart from the people.

An anonymous survey's answers have no person, no time and a random key: who took part is recorded only
by the platform's campaign rows (`campaign_task`), which hold no answer. SQLite keeps the answer rows
WITHOUT ROWID, ordered by their random key, so no hidden row number counts the answers in their order;
every anonymous answer also rewrites the survey's answers under fresh random keys (see `queries`), so
PostgreSQL's row versions (`xmin`, `ctid`) all carry the latest answer's transaction, not their own.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.platform.clock import utcnow
from service.platform.persistence.models import Base, UtcDateTime


class Survey(Base):
    """A survey: texts and questions (JSON, kk/ru/en), audience, dates, privacy mode and its campaign."""

    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title_json: Mapped[str] = mapped_column(Text)  # {"kk": …, "ru": …, "en": …}
    intro_json: Mapped[str] = mapped_column(Text, default="{}")
    questions_json: Mapped[str] = mapped_column(Text, default="[]")
    privacy: Mapped[str] = mapped_column(String(20))  # anonymous | named
    audience_roles: Mapped[str] = mapped_column(Text, default="")  # role codes, comma-separated
    audience_people: Mapped[str] = mapped_column(Text, default="")  # usernames, comma-separated
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    # draft (its keepers edit it) → open (the campaign runs) → closed (the campaign has ended).
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    plan_item: Mapped[int | None] = mapped_column(Integer)  # 1, 9 or 26
    template_key: Mapped[str] = mapped_column(String(60), default="", index=True)  # runs compare by it
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SurveyAnswer(Base):
    """One answer. Anonymous: only the survey and the answers (no person, no time, a random key).
    Named (interviews): the respondent, who recorded it and when."""

    __tablename__ = "survey_answer"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random hex, never sequential
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    answers_json: Mapped[str] = mapped_column(Text)
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))  # named only
    recorded_by: Mapped[str | None] = mapped_column(String(80))  # named only
    recorded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # named only
