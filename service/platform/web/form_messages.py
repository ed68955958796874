"""Form-editor problems in the reader's language: the workflows layer gives a code and parameters."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString

from service.platform.forms.checks import FormProblem

_TEXTS: dict[str, LazyString] = {
    "too_long": lazy_gettext("The form is longer than %(limit)s characters."),
    "not_json": lazy_gettext("The text is not valid JSON: %(reason)s"),
    "bad_name": lazy_gettext("The form name «%(name)s» may use only lowercase Latin letters, digits and _."),
    "not_object": lazy_gettext("The form must be a JSON object."),
    "not_json_schema": lazy_gettext("Not a valid JSON Schema (draft 2020-12) at %(where)s: %(reason)s"),
    "not_type_object": lazy_gettext('The form must have "type": "object".'),
    "no_properties": lazy_gettext("The form has no fields (properties)."),
    "no_translations": lazy_gettext("No %(key)s with kk, ru and en."),
    "lacks_translations": lazy_gettext("%(key)s lacks the languages: %(langs)s."),
    "field_not_object": lazy_gettext("The field must be a JSON object."),
    "unsupported_type": lazy_gettext("The type %(type)s is not supported (use one of %(choices)s)."),
    "widget_mismatch": lazy_gettext(
        "The widget «%(widget)s» does not suit the type «%(type)s» (use %(choices)s)."
    ),
    "widget_needs_enum": lazy_gettext("The widget «%(widget)s» needs a list of options (enum)."),
    "widget_no_enum": lazy_gettext("The widget «%(widget)s» cannot offer a list of options (enum)."),
    "checkbox_needs_enum": lazy_gettext("A group of checkboxes needs items with a list of options (enum)."),
    "unknown_suggestions": lazy_gettext("The suggestion list «%(source)s» is unknown (use %(choices)s)."),
    "suggestions_plain_text": lazy_gettext("Suggestions suit a plain text field only."),
    "enum_wrong_type": lazy_gettext("The options %(values)s are not of the type «%(type)s»."),
    "no_enum_titles": lazy_gettext("The field has options (enum) but no x-enum-titles."),
    "enum_titles_extra": lazy_gettext("x-enum-titles names values that are not options: %(values)s."),
    "unsupported_format": lazy_gettext(
        'The format «%(format)s» is not supported (only "date" on text fields).'
    ),
    "date_no_widget": lazy_gettext("A date field takes no widget and no options."),
    "array_items": lazy_gettext('A list field must have items of {"type": "string"}.'),
    "array_items_plain": lazy_gettext("The items of a list field take no widget or format."),
    "rows_items": lazy_gettext('A table of rows needs items of {"type": "object"} with fields (properties).'),
    "rows_field_type": lazy_gettext('A field of a row must be {"type": "string"}.'),
    "unknown_options_source": lazy_gettext("The list of options «%(source)s» is unknown (use %(choices)s)."),
    "bad_max_bytes": lazy_gettext("x-max-bytes must be a positive integer."),
    "bad_accept": lazy_gettext("x-accept must be a list of media types."),
    "bad_default": lazy_gettext("The default value %(value)s does not satisfy the field's own rules."),
    "not_name_list": lazy_gettext("%(key)s must be a list of field names."),
    "unknown_field_in_list": lazy_gettext("%(key)s names the unknown field «%(name)s»."),
    "duplicate_in_list": lazy_gettext("%(key)s names the field «%(name)s» more than once."),
    "required_if_not_map": lazy_gettext("x-required-if must map field names to conditions."),
    "required_if_unknown_field": lazy_gettext("x-required-if names the unknown field «%(name)s»."),
    "required_if_no_conditions": lazy_gettext(
        "x-required-if for «%(name)s» must map other fields to lists of values."
    ),
    "required_if_unknown_other": lazy_gettext(
        "x-required-if for «%(name)s» depends on the unknown field «%(other)s»."
    ),
    "required_if_bad_values": lazy_gettext(
        "x-required-if for «%(name)s»: the values of «%(other)s» must be a non-empty list."
    ),
    "bad_field_name": lazy_gettext("A field name may use only Latin letters, digits and _."),
    "condition_unknown_field": lazy_gettext("A condition (if/then) names the unknown field «%(name)s»."),
    "visible_if_bad": lazy_gettext("«Shown only when» must name another field of the form and its values."),
    "visible_if_required": lazy_gettext(
        "A field shown only when another field has a value cannot be always required: "
        "make it required under the same condition."
    ),
    "reserved": lazy_gettext("«%(key)s» is reserved by the workflow engine: found at %(path)s."),
}

# Problems about the form's own titles say so; other problems without a field are about the whole form.
_ABOUT_THE_FORM = {"no_translations", "lacks_translations"}


def form_problem_text(problem: FormProblem) -> str:
    """The problem in the current language, prefixed by the field (and option) it is about."""
    template = _TEXTS.get(problem.code)
    if template is None:
        return problem.message
    params = dict(problem.params)
    if problem.code == "not_json_schema" and not params.get("where"):
        params["where"] = _("the top level")
    try:
        text = str(template) % params
    except (KeyError, TypeError, ValueError):
        return problem.message
    if "option" in params:
        return _("Field «%(field)s», option «%(option)s»: %(problem)s", **params, problem=text)
    if "field" in params:
        return _("Field «%(field)s»: %(problem)s", field=params["field"], problem=text)
    if problem.code in _ABOUT_THE_FORM:
        return _("The form: %(problem)s", problem=text)
    return text


def form_problem_texts(problems: list[FormProblem]) -> list[str]:
    return [form_problem_text(p) for p in problems]


def form_problem_from_params(params: dict[str, Any], prefix: str) -> FormProblem | None:
    """A form problem carried inside another problem's parameters as `<prefix>code` and `<prefix><name>`."""
    code = params.get(f"{prefix}code")
    if not code:
        return None
    inner = {
        k.removeprefix(prefix): str(v)
        for k, v in params.items()
        if k.startswith(prefix) and k != f"{prefix}code"
    }
    return FormProblem(str(params.get(prefix.rstrip("_"), "")), str(code), inner)
