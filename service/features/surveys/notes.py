"""The analytical note of a survey (PDF, DOCX) for its results' readers, always in Kazakh."""

from __future__ import annotations

from service.features.surveys import documents, figures, rules
from service.features.surveys.results import results_of
from service.platform.runtime import Actor, Runtime


def note_of(rt: Runtime, actor: Actor, survey_id: int, compare_with: int | None = None) -> documents.Note:
    view = results_of(rt, actor, survey_id, compare_with)
    survey = view.run.survey
    fmt = "%d.%m.%Y"
    compared = view.compared
    return documents.Note(
        school_name=rt.school_name,
        title=rules.localized(view.run.title, "kk"),
        plan_item=survey.plan_item,
        period=f"{survey.opens_on.strftime(fmt)} – {survey.closes_on.strftime(fmt)}",
        privacy=survey.privacy,
        results=view.run.results,
        compared=figures.paired_results(
            view.run.results, compared.results, (view.run.questions, compared.questions)
        )
        if compared
        else {},
        # Runs are named by number and opening day (two runs may open the same month, or the same day).
        compared_name=f"№{compared.survey.id} ({compared.survey.opens_on.strftime(fmt)})" if compared else "",
        this_name=f"№{survey.id} ({survey.opens_on.strftime(fmt)})",
        author=actor.full_name or actor.username,
        # The content's moment (the survey's closing, else its opening), so the same note is the same bytes.
        created=survey.closed_at or survey.opened_at,
        questions=view.run.questions,
    )


def note_pdf(rt: Runtime, actor: Actor, survey_id: int, compare_with: int | None = None) -> bytes:
    return documents.note_pdf(note_of(rt, actor, survey_id, compare_with))


def note_docx(rt: Runtime, actor: Actor, survey_id: int, compare_with: int | None = None) -> bytes:
    return documents.note_docx(note_of(rt, actor, survey_id, compare_with))
