"""English refusals of the BPMN library, the XSD validator and the XML parser, read into codes.

The library, libxml2's schema validator and the XML parser only speak English. Every refusal we can
recognise becomes a code with its parameters (element names, attributes, values), so the web layer can
say it in the admin's language with what to do; an unrecognised one keeps a generic code whose
translated text never carries the English sentence (that stays in the problem's `message`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

Reading = tuple[str, dict[str, str]]

# libxml2 writes qualified names as "{uri}local"; problems.schema_problems has already put prefixes.
_XSD: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (
            r"^Element '(?P<tag>[^']+)', attribute '(?P<attribute>[^']+)': The attribute '[^']+' is not "
            r"allowed",
            "xsd_attribute_unknown",
        ),
        (
            r"^Element '(?P<tag>[^']+)': The attribute '(?P<attribute>[^']+)' is required but missing",
            "xsd_attribute_missing",
        ),
        (
            r"^Element '(?P<tag>[^']+)', attribute '(?P<attribute>[^']+)': '(?P<value>[^']*)' is not a "
            r"valid value",
            "xsd_attribute_value",
        ),
        (r"^Element '(?P<tag>[^']+)': '(?P<value>[^']*)' is not a valid value", "xsd_text_value"),
        (r"^Element '(?P<tag>[^']+)': This element is not expected", "xsd_unexpected"),
        (r"^Element '(?P<tag>[^']+)': Missing child element", "xsd_missing_child"),
        (r"^Element '(?P<tag>[^']+)': Character content", "xsd_text_not_allowed"),
        (r"^Element '(?P<tag>[^']+)': Duplicate key-sequence \['(?P<value>[^']*)'\]", "xsd_duplicate_id"),
        (
            r"^Element '(?P<tag>[^']+)': No match found for key-sequence \['(?P<value>[^']*)'\]",
            "xsd_no_target",
        ),
    )
)

# SpiffWorkflow's ValidationException texts (bpmn/parser, spiff/parser), first line only.
_LIBRARY: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"No DMN Diagram available", "business_rule"),
        (r"Cannot resolve data(Output|Input)Association", "data_store"),
        (r"Data Store with name .* has no implementation", "data_store"),
        (r"Cancel Events may only be used with transactions", "cancel_outside_transaction"),
        (r"multiinstance task must specify", "multi_instance_input"),
        (r"loopMaximum or loopCondition must be specified", "loop_without_condition"),
        (r"Service Task must have an operator", "service_without_operator"),
        (r"is not executable", "not_executable"),
        (r"^No start event found", "no_start"),
        (r"Non-default exclusive outgoing sequence flow without condition", "flow_without_condition"),
        (r"No Script Provided", "empty_script"),
        (r"SubWorkflow Must contain an End event", "subprocess_no_end"),
        (r"Ad hoc subprocesses may not contain start or end events", "adhoc_events"),
        (r"Sequential ordering for ad hoc subprocesses not supported", "adhoc_sequential"),
        (r"There is no support implemented for this task type", "unsupported_element"),
        (r"Time Specification Error|Unknown Time Specification", "bad_timer_text"),
        (r"Conditional event definition with missing condition", "conditional_no_condition"),
        (
            r"(?P<what>Message|Signal|Error|Escalation|Correlation|Data Store) (identifier|name) is missing",
            "missing_reference",
        ),
        (r"Could not find (?P<what>messageRef)", "missing_reference"),
        (r"Malformed Output Expression", "bad_output_expression"),
        (r"(?i)multiple decision tables|No decisions found", "business_rule"),
        (r"(?i)^(The )?process (with id )?'?(?P<value>[^' ]+)'? (was )?not found", "missing_called_process"),
        (r"(?i)No Data Object|Data object .* not found", "missing_data_object"),
    )
)

# lxml/libxml2 well-formedness errors.
_XML: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"Opening and ending tag mismatch: (?P<tag>\S+) line \d+ and (?P<other>\S+)", "xml_tag_mismatch"),
        (r"Premature end of data|EndTag: '</' not found|Couldn't find end of Start Tag", "xml_truncated"),
        (r"Extra content at the end of the document", "xml_extra_content"),
        (r"Start tag expected|Document is empty", "xml_not_xml"),
        (r"Attribute (?P<attribute>\S+) redefined", "xml_attribute_twice"),
        (r"AttValue|attributes construct error|Specification mandates value", "xml_attribute_syntax"),
        (r"xmlParseEntityRef|EntityRef: expecting", "xml_ampersand"),
        (r"Namespace prefix (?P<prefix>\S+)", "xml_unknown_prefix"),
        (r"(?i)encoding|Input is not proper UTF-8|invalid character|Char 0x", "xml_characters"),
        (r"ID (?P<value>\S+) already defined", "xml_duplicate_id"),
    )
)


def _read(table: tuple[tuple[re.Pattern[str], str], ...], text: str, fallback: str) -> Reading:
    for pattern, code in table:
        match = pattern.search(text)
        if match is not None:
            return code, {k: v for k, v in match.groupdict().items() if v is not None}
    return fallback, {}


def schema_reading(message: str) -> Reading:
    """An XSD validation message (prefixed names) as a code and its parts; "xsd" when unrecognised."""
    return _read(_XSD, message, "xsd")


def library_reading(message: str) -> Reading:
    """A SpiffWorkflow parser refusal as a code and its parts; "invalid" when unrecognised."""
    return _read(_LIBRARY, message, "invalid")


def xml_reading(message: str) -> Reading:
    """An XML parser error as a code and its parts; "not_xml" when unrecognised."""
    return _read(_XML, message, "not_xml")


def local_name(tag: str) -> str:
    """`bpmn:userTask` → `userTask`: the element kind as the modeler's palette calls it."""
    return tag.rsplit(":", 1)[-1].rsplit("}", 1)[-1]


def merged(params: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """Parameters of a problem with what the reading found (the reading wins on a shared name)."""
    return {**params, **{k: local_name(v) if k == "tag" else v for k, v in extra.items()}}
