"""Survey pages: the list, one survey (answering, interviews, opening and closing), results, exports."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required
from markupsafe import Markup

from service.features.surveys import answering, figures, notes, region, results, rules
from service.features.surveys import usecases as cases
from service.features.surveys.plan_templates import TEMPLATES
from service.platform.documents import charts
from service.platform.errors import ServiceError, ValidationFailed
from service.platform.registry import ExportColumn, ExportTable, NavLink, RegionFigure
from service.platform.web import exports
from service.platform.web.api_request import int_arg
from service.platform.web.context import actor, runtime
from service.platform.web.downloads import attachment
from service.platform.web.i18n import FIELD_MESSAGES, current_language, field_messages

bp = Blueprint("surveys", __name__)

FIELD_MESSAGES.setdefault("date_past", lazy_gettext("This date has already passed."))
FIELD_MESSAGES.update(
    {
        "options_min": lazy_gettext("Give at least two options, one per line."),
        "closes_before_opens": lazy_gettext("The closing day must not be before the opening day."),
    }
)
STATUS_LABELS: dict[str, Any] = {
    "draft": lazy_gettext("draft"),
    "open": lazy_gettext("open for answers"),
    "closed": lazy_gettext("closed"),
}
PRIVACY_LABELS: dict[str, Any] = {
    "anonymous": lazy_gettext("anonymous"),
    "named": lazy_gettext("named (interviews)"),
}
MY_STATUS: dict[str, Any] = {
    "pending": lazy_gettext("waiting for your answer"),
    "done": lazy_gettext("you have answered"),
    "missed": lazy_gettext("not answered"),
}


@bp.app_template_filter("survey_text")
def survey_text(texts: Any) -> str:
    """A {kk, ru, en} text in the reader's language (Kazakh when it has none)."""
    return rules.localized(texts, current_language()) if isinstance(texts, dict) else str(texts or "")


def _render(template: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    return (
        render_template(
            template,
            statuses=STATUS_LABELS,
            privacies=PRIVACY_LABELS,
            my_statuses=MY_STATUS,
            lang=current_language(),
            localized=rules.localized,
            **context,
        ),
        status,
    )


@bp.route("/surveys")
@login_required
def index() -> ResponseReturnValue:
    rows = cases.list_surveys(runtime(), actor())
    me = actor()
    return _render(
        "surveys/list.html",
        rows=rows,
        may_keep=me.has(*rules.KEEPER_ROLES),
        templates=TEMPLATES,
    )


@bp.route("/surveys/from-template", methods=["POST"])
@login_required
def from_template() -> ResponseReturnValue:
    survey_id = cases.from_template(runtime(), actor(), request.form.get("template", ""))
    flash(_("The template has been loaded as a draft. Check it and open it when ready."), "success")
    return redirect(url_for("surveys_editor.edit", survey_id=survey_id))


def _show(survey_id: int, values: dict[str, list[str]], errors: dict[str, str], status: int = 200) -> Any:
    me = actor()
    view = cases.get_survey(runtime(), me, survey_id)
    return _render(
        "surveys/show.html",
        status,
        v=view,
        s=view.survey,
        values=values,
        errors=errors,
        # Which form the typed values and errors belong to: one's own answer or an interview.
        interviewing=request.endpoint == "surveys.interview",
        respondent=request.form.get("respondent", "") if request.method == "POST" else "",
    )


@bp.route("/surveys/<int:survey_id>")
@login_required
def show(survey_id: int) -> ResponseReturnValue:
    return _show(survey_id, {}, {})


@bp.route("/surveys/<int:survey_id>/answer", methods=["POST"])
@login_required
def answer(survey_id: int) -> ResponseReturnValue:
    me = actor()
    view = cases.get_survey(runtime(), me, survey_id)
    form = {k: request.form.getlist(k) for k in request.form}
    data = rules.form_answers(view.questions, form)
    try:
        answering.answer(runtime(), me, survey_id, data)
    except ValidationFailed as err:
        return _show(survey_id, form, field_messages(err.fields), 422)
    flash(_("Thank you: your answer has been recorded."), "success")
    return redirect(url_for("surveys.show", survey_id=survey_id))


@bp.route("/surveys/<int:survey_id>/interview", methods=["POST"])
@login_required
def interview(survey_id: int) -> ResponseReturnValue:
    me = actor()
    view = cases.get_survey(runtime(), me, survey_id)
    form = {k: request.form.getlist(k) for k in request.form}
    data = rules.form_answers(view.questions, form)
    try:
        answering.record_interview(runtime(), me, survey_id, request.form.get("respondent", ""), data)
    except ValidationFailed as err:
        return _show(survey_id, form, field_messages(err.fields), 422)
    flash(_("The interview has been recorded."), "success")
    return redirect(url_for("surveys.show", survey_id=survey_id))


@bp.route("/surveys/<int:survey_id>/<any(open, close, remind):step>", methods=["POST"])
@login_required
def change(survey_id: int, step: str) -> ResponseReturnValue:
    if step == "open":
        try:
            cases.open_survey(runtime(), actor(), survey_id)
        except ValidationFailed as err:
            flash(" ".join(field_messages(err.fields).values()), "error")
            return redirect(url_for("surveys_editor.edit", survey_id=survey_id))
        flash(_("The survey is open: its audience has been sent the task."), "success")
    elif step == "remind":
        sent = cases.remind(runtime(), actor(), survey_id)
        flash(_("Reminded: %(count)s people who have not answered yet.", count=sent), "success")
    else:
        cases.close(runtime(), actor(), survey_id)
        flash(_("The survey is closed: the open tasks have been withdrawn."), "success")
    return redirect(url_for("surveys.show", survey_id=survey_id))


def _svg(chart: charts.Chart | None) -> Markup | None:
    # The SVG is built from escaped text only (charts.to_svg escapes every label).
    return Markup(charts.to_svg(chart)) if chart is not None else None  # noqa: S704


def _run_name(run: results.Run) -> str:
    """A run by its number and opening day (two runs may open the same month, or the same day)."""
    return f"№{run.survey.id} ({run.survey.opens_on.strftime('%d.%m.%Y')})"


@bp.route("/surveys/<int:survey_id>/results")
@login_required
def show_results(survey_id: int) -> ResponseReturnValue:
    compare = int_arg("compare", None)
    view = results.results_of(runtime(), actor(), survey_id, compare)
    lang = current_language()
    drawn = [_svg(figures.chart_of(q, lang)) for q in view.run.results.questions]
    paired: list[Markup | None] = []
    if view.compared is not None:
        theirs = figures.paired_results(
            view.run.results, view.compared.results, (view.run.questions, view.compared.questions)
        )
        names = (_run_name(view.run), _run_name(view.compared))
        for q in view.run.results.questions:
            other = theirs.get(q.question.id)
            paired.append(_svg(figures.comparison_of(q, other, lang, names)) if other else None)
    return _render(
        "surveys/results.html",
        view=view,
        r=view.run.results,
        s=view.run.survey,
        title=view.run.title,
        drawn=drawn,
        paired=paired,
        compare=compare,
        number_labels=figures.NUMBER_LABELS.get(lang, figures.NUMBER_LABELS["en"]),
    )


def _export(survey_id: int, fmt: str) -> ResponseReturnValue:
    """The answers as a table whose columns are this survey's questions (so declared per request)."""
    header, rows = results.export_rows(
        runtime(), actor(), survey_id, current_language(), (_("Staff member"), _("Recorded by"))
    )
    table = ExportTable(
        columns=tuple(ExportColumn(str(i), text, itemgetter(i)) for i, text in enumerate(header)),
        filename=f"survey-{survey_id}",
        sheet=f"{_('Survey')} {survey_id}",
    )
    return exports.download(table, rows, fmt)


@bp.route("/surveys/<int:survey_id>/results.csv")
@login_required
def export_csv(survey_id: int) -> ResponseReturnValue:
    return _export(survey_id, "csv")


@bp.route("/surveys/<int:survey_id>/results.xlsx")
@login_required
def export_xlsx(survey_id: int) -> ResponseReturnValue:
    return _export(survey_id, "xlsx")


@bp.route("/surveys/<int:survey_id>/note.pdf")
@login_required
def note_pdf(survey_id: int) -> ResponseReturnValue:
    content = notes.note_pdf(runtime(), actor(), survey_id, int_arg("compare", None))
    return attachment(content, "application/pdf", f"Талдамалық анықтама {survey_id}.pdf")


@bp.route("/surveys/<int:survey_id>/note.docx")
@login_required
def note_docx(survey_id: int) -> ResponseReturnValue:
    content = notes.note_docx(runtime(), actor(), survey_id, int_arg("compare", None))
    mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return attachment(content, mimetype, f"Талдамалық анықтама {survey_id}.docx")


NAV = (NavLink("surveys.index", lazy_gettext("Surveys")),)

# The survey's refusals in the reader's language (pages and the API's "message").
ERROR_MESSAGES: dict[str, Callable[[ServiceError], tuple[str, dict[str, Any]]]] = {
    "survey_not_draft": lambda err: (
        _("The survey is already open: its questions can no longer change."),
        {},
    ),
    "survey_not_yet_open": lambda err: (_("The survey's opening day has not come yet."), {}),
    "survey_closed": lambda err: (_("The survey is closed."), {}),
}


# The feature's figure on the region's dashboard (its counts are read by `region.py`).
REGION_FIGURE = RegionFigure(
    title=lazy_gettext("Participation in this school year's surveys"),
    collect=region.participation,
    total=region.participation_total,
    categories={"asked": lazy_gettext("asked"), "answered": lazy_gettext("answered")},
)
