"""What a feature declares to the platform, and the registry the platform consults instead of naming one.

A feature package builds one `Feature` in its `__init__.py`; `create_app` composes an explicit tuple of
them into a `Registry`, kept on the runtime (`rt.features`). Every place where the generic platform
needs feature knowledge — operators, private processes, completion hooks, page panels, suggestion
lists, script builtins, file readers, evidence sources, campaign kinds, report sections, export tables,
blueprints, OpenAPI parts, CLI commands, demo data — asks the registry, so a process an admin draws
works with the platform alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from service.platform.engine import OperatorCall
    from service.platform.inbox.private_view import PrivateView
    from service.platform.persistence.models import Campaign, HumanTask, ProcessInstance
    from service.platform.runtime import Actor, Runtime

OperatorTable = dict[str, Callable[["OperatorCall"], Any]]


@dataclass(frozen=True)
class OperatorFamily:
    """Service-task operators a feature adds: their names (checked at deploy) and how to bind them."""

    names: tuple[str, ...]
    # Operators bound to this transaction and instance, so their writes commit or roll back with it.
    build: Callable[[Runtime, Session, int], OperatorTable]


@dataclass(frozen=True)
class Completion:
    """A task about to be completed, inside the use case's transaction and after the instance lock."""

    rt: Runtime
    session: Session
    actor: Actor
    instance: ProcessInstance
    task: HumanTask
    data: dict[str, Any]  # the cleaned form data
    signed: bool  # the person re-entered their password (checked before the transaction)


# Returns engine data to add to the form's (e.g. a signed vote's round); may raise a ServiceError.
BeforeComplete = Callable[[Completion], Mapping[str, Any]]


@dataclass(frozen=True)
class PagePanel:
    """A feature's block on a generic task or instance page: data read in the page's transaction,
    drawn by its template (which receives it as `panel`); `read` returns None to show nothing."""

    template: str
    read: Callable[[Session, Actor, ProcessInstance, HumanTask | None], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    """One panel to draw: its template and the data read for this page."""

    template: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification a feature sends: its e-mail subject per language, the e-mail's text, and
    the template that draws it on the notifications page (which receives it as `n`)."""

    subjects: Mapping[str, str]  # by language code: kk, ru, en
    template: str
    # (subject, body) of the e-mail from the subject in the reader's language and the stored params.
    mail: Callable[[str, Mapping[str, Any]], tuple[str, str]] | None = None


@dataclass(frozen=True)
class Evidence:
    """What a mark (e.g. a plan item's completion) links to, as one reader may see it: `ref` as stored
    ("12/Ж", "3", "2026/1"), `link` the page that shows it (endpoint, arguments); both None when the
    reader may not see it, so a hidden record and a missing one look the same."""

    kind: str
    ref: str | None
    link: tuple[str, Mapping[str, Any]] | None = None
    label: str = ""  # a name to show instead of the ref (a tool's name)


@dataclass(frozen=True)
class EvidenceSource:
    """A kind of record a feature holds that a mark may point to as evidence."""

    names: Mapping[str, str]  # the kind's name by language (kk, ru, en)
    hints: Mapping[str, str]  # what to type as its reference, by language
    # The record a person typed a reference to, as `actor` may see it; None when none exists.
    resolve: Callable[[Session, Actor, str], Evidence | None]


@dataclass(frozen=True)
class ReportSection:
    """A section of the annual report a feature feeds: rows of counts (code → number) for one school
    year, or None for "no data". Row codes are named in every language, so no code reaches a page."""

    titles: Mapping[str, str]  # the section's title by language (kk, ru, en); documents use kk
    # The counts of the school year running from `first_day` to `last_day` (both local dates).
    collect: Callable[[Runtime, Session, date, date], Mapping[str, int] | None]
    row_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # code → language → name


@dataclass(frozen=True)
class CampaignEnd:
    """A campaign that has just ended, inside the transaction that ended it: `summary` holds the counts
    and who did not respond (`outcome`: all_responded, deadline or closed)."""

    rt: Runtime
    session: Session
    campaign: Campaign
    summary: Mapping[str, Any]


@dataclass(frozen=True)
class CampaignKind:
    """A kind of campaign (many people each asked for one response) a feature opens: the platform keeps
    one row per person outside the engine, lists the pending ones in their inboxes and ends it once."""

    titles: Mapping[str, str]  # the inbox row's name by language (kk, ru, en); "{title}" is the campaign's
    # Where a person responds: (endpoint, arguments) of the feature's page for this campaign.
    act_at: Callable[[Campaign], tuple[str, Mapping[str, Any]]]
    # Who may close it early, remind the pending and extend the deadline (beyond admin).
    may_manage: Callable[[Session, Actor, Campaign], bool] = lambda session, actor, campaign: False
    # A campaign without a process instance hears of its end here (with one, the waiting step completes).
    on_end: Callable[[CampaignEnd], None] | None = None
    # Cleans a response's data (raise ValidationFailed for 422); None: a response carries no data.
    check_response: Callable[[Session, Actor, Campaign, Mapping[str, Any]], Mapping[str, Any]] | None = None
    # False: the deadline is a due date (shown, marked overdue in the inbox) and the campaign stays open
    # until everyone responds or a manager closes it; a task tracked to done does not vanish when late.
    ends_at_deadline: bool = True


@dataclass(frozen=True)
class Setting:
    """A school setting a feature's processes read (a deadline, a voting rule), changeable by the admin on
    the settings page without code. Its value is text: an ISO 8601 duration (`kind` "duration": timers read
    it from `settings[...]`), a fraction such as "2/3" ("fraction", at most 1 — `below_one` for "more
    than" rules that must stay under 1) or one of `choices` ("choice"). The environment (`env`, or
    `DEADLINE_<NAME>` for durations) overrides `default`; the admin's value overrides both."""

    kind: str  # duration | fraction | choice
    default: str
    labels: Mapping[str, str]  # the setting's name by language (kk, ru, en)
    hints: Mapping[str, str] = field(default_factory=dict)  # what it does, by language
    choices: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # value -> language -> name
    env: str | None = None  # the application setting that holds the environment's value
    below_one: bool = False


@dataclass(frozen=True)
class TimelineWords:
    """How a feature's own codes read, lazily translated (made in its web module): the audit actions it
    writes (timelines say "registered the order", never `order.register`), the labels of its diagrams'
    flows ("not supported", "act changed"), its statuses and its processes' names, by code, and the
    names of its diagrams' other elements (events, gateways, service and script tasks, call activities,
    pools, the process itself) by process id, then element id: a diagram shows each in the reader's
    language while its name in the diagram is still the one the word reads in Kazakh (a name an admin
    changed is theirs and stays)."""

    actions: Mapping[str, Any] = field(default_factory=dict)
    flows: Mapping[str, Any] = field(default_factory=dict)
    statuses: Mapping[str, Any] = field(default_factory=dict)
    processes: Mapping[str, Any] = field(default_factory=dict)  # its processes' names, by process id
    # the names of its diagrams' other elements: process id -> element id -> name
    elements: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


EXPORT_KINDS = ("text", "date", "moment", "time")


@dataclass(frozen=True)
class ExportColumn:
    """One column of a register's CSV/XLSX export: its key, its header (a lazy_gettext string made in the
    feature's web module, so it reads in the downloader's language) and how a row gives its cell.

    `value` takes one of the rows the feature's export route fetched (None: `row[key]`, for rows that are
    mappings). `labels` names a code in the reader's language (code → lazy string, e.g. the feature's
    statuses; an unknown code stays as it is). `kind` "date", "moment" or "time" turns an aware
    datetime into the school's time zone (a local day, a local date and time, "HH:MM"); other values
    pass as they are. `width` fixes the XLSX column's width (None: fitted to the longest cell)."""

    key: str
    header: Any
    value: Callable[[Any], object] | None = None
    kind: str = "text"  # text | date | moment | time
    width: int | None = None
    labels: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.kind not in EXPORT_KINDS:
            raise ValueError(f"export column {self.key!r}: unknown kind {self.kind!r}")


@dataclass(frozen=True)
class ExportTable:
    """A register a feature exports as CSV and XLSX (`platform/web/exports.py` writes both): its columns
    in order, the downloaded file's name without the extension and the XLSX sheet's name (a lazy string
    or plain text; empty: the file's name)."""

    columns: tuple[ExportColumn, ...]
    filename: str
    sheet: Any = ""

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"export {self.filename!r}: a column key is declared twice: {keys}")


@dataclass(frozen=True)
class RegionScope:
    """What the region's figures count: these schools, in the school year running from `first_day` to
    `last_day` (local dates; `starts_at`/`ends_at` the same year as aware moments, the end excluded).

    `school_ids` are the schools of one dashboard page (30 at most), so a page's queries cost the same
    whatever the number of schools; for the region-wide totals and the download `every_school` is a
    SELECT of every school's id instead. A figure filters with `scope.among(Model.school_id)`."""

    school_ids: tuple[int, ...]
    first_day: date
    last_day: date
    starts_at: datetime
    ends_at: datetime
    today: date
    every_school: Any = None  # a SELECT of every school's id (not the region's own), or None

    def among(self, column: Any) -> Any:
        """`column IN` the scope's schools: the page's ids, or every school of the region."""
        return column.in_(self.every_school if self.every_school is not None else self.school_ids)


# A figure's values by school id: one count, or counts by category code (a school with none is left out).
RegionValues = Mapping[int, "int | Mapping[str, int]"]
# A figure's region-wide value: one count (or share), or by category code (a category with none left out).
RegionTotal = int | Mapping[str, int]


@dataclass(frozen=True)
class RegionFigure:
    """A figure of the region's dashboard a feature feeds: per school a count or counts by category —
    never a record's content or people. `collect` runs once for a page of schools (inside
    `tenancy.all_schools()`, so it filters `scope.among(Model.school_id)` and groups by `school_id` in
    SQL: one query, whatever the number of schools); `total` once for the whole region (the same filter,
    grouped by category only: a share is the region's done over the region's total, never an average of
    the schools' shares). Titles and category names are lazy strings made in the feature's `web`
    module; `unit` "percent" marks values that are shares (0–100)."""

    title: Any
    collect: Callable[[Runtime, Session, RegionScope], RegionValues]
    total: Callable[[Runtime, Session, RegionScope], RegionTotal] | None = None
    categories: Mapping[str, Any] = field(default_factory=dict)  # code → name, in the order shown
    # Names a category code that `categories` does not list (a plan's stage number); None: the code.
    category_name: Callable[[str], Any] | None = None
    unit: str = "count"  # count | percent


@dataclass(frozen=True)
class NavLink:
    """A link in the page header: endpoint, a lazily translated label, who sees it."""

    endpoint: str
    label: Any  # a lazy_gettext string, made in the feature's web module
    visible: Callable[[Actor], bool] = lambda actor: True


@dataclass(frozen=True)
class Feature:
    """Everything one feature adds to the platform; every part is optional."""

    name: str
    operator_families: tuple[OperatorFamily, ...] = ()
    # Processes whose existence is private, by process id (who sees them, what task pages hide).
    private_views: Mapping[str, PrivateView] = field(default_factory=dict)
    before_complete: tuple[BeforeComplete, ...] = ()
    # Steps signed by re-entering the password (the page asks for it; the use case checks it).
    signing_steps: tuple[Callable[[ProcessInstance, HumanTask], bool], ...] = ()
    # Steps only the person themselves may do, never a deputy (a council member's vote); signing steps
    # are personal too.
    personal_steps: tuple[Callable[[ProcessInstance, HumanTask], bool], ...] = ()
    task_panels: tuple[PagePanel, ...] = ()
    instance_panels: tuple[PagePanel, ...] = ()
    # Values a fresh form of an open task starts with, over the process data and x-prefill (e.g. the
    # option a vote decided, preselected for the chair); None or {} for tasks it does not concern.
    task_prefills: tuple[
        Callable[[Session, Actor, ProcessInstance, HumanTask], Mapping[str, Any] | None], ...
    ] = ()
    # Sources of a form field's suggestion list (`x-suggestions-from`), by name.
    suggestion_sources: Mapping[str, Callable[[Session], list[str]]] = field(default_factory=dict)
    # Pure functions a BPMN script or expression may call, by name (added to the sandbox's builtins).
    script_builtins: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    # Who may download a stored file ("sha256:<hex>") beyond its uploader and the instances' readers.
    file_readers: tuple[Callable[[Session, Actor, str], bool], ...] = ()
    notification_kinds: Mapping[str, NotificationKind] = field(default_factory=dict)
    # Deadlines its diagrams read from `settings` (name -> ISO 8601 duration), changeable per school.
    # Prefer `settings`, which also names them for the admin's page; these are shown by their code.
    default_deadlines: Mapping[str, str] = field(default_factory=dict)
    # School settings its processes read (deadlines, voting rules), by name: see `Setting`.
    settings: Mapping[str, Setting] = field(default_factory=dict)
    # Checks of the feature's own settings (`rt.settings`), run at start; they raise on a bad one.
    startup_checks: tuple[Callable[[Runtime], object], ...] = ()
    # Demo data loaded by `flask demo` after the users; each returns a line to print, or None.
    demo_data: tuple[Callable[[Runtime], str | None], ...] = ()
    # The web side (Flask objects, typed loosely: the registry itself imports no Flask).
    blueprints: tuple[Any, ...] = ()
    api_blueprints: tuple[Any, ...] = ()  # /api/v1: Bearer tokens only, so CSRF-exempt
    nav_links: tuple[NavLink, ...] = ()
    # Where the task page sends a person after completing a task (a URL), or None for the default.
    task_redirects: tuple[Callable[[HumanTask], str | None], ...] = ()
    # Messages of a feature's error codes in the reader's language: code -> (message, extra JSON).
    error_messages: Mapping[str, Callable[[Any], tuple[str, Mapping[str, Any]]]] = field(default_factory=dict)
    openapi_paths: Callable[[], Mapping[str, Any]] = dict
    openapi_schemas: Callable[[], Mapping[str, Any]] = dict
    cli_commands: tuple[Any, ...] = ()
    # Records a mark may cite as evidence, by the kind stored with the mark ("order", "tool", ...).
    evidence_sources: Mapping[str, EvidenceSource] = field(default_factory=dict)
    # Kinds of campaigns (per-person tasks outside the engine) the feature opens, by kind name.
    campaign_kinds: Mapping[str, CampaignKind] = field(default_factory=dict)
    # Sections of the annual report, by key (stored with a finalized report's figures).
    report_sections: Mapping[str, ReportSection] = field(default_factory=dict)
    # The names of its audit actions, diagram flow labels and statuses in the reader's language.
    timeline_words: TimelineWords = field(default_factory=TimelineWords)
    # The registers it exports as CSV/XLSX, by name: their columns (made in its web module).
    export_tables: Mapping[str, ExportTable] = field(default_factory=dict)
    # Its figures on the region's dashboard, by key: per-school counts, one grouped query each.
    region_figures: Mapping[str, RegionFigure] = field(default_factory=dict)


class Registry:
    """The features of one application, merged into the tables the platform reads."""

    def __init__(self, features: Sequence[Feature] = ()) -> None:
        names = [f.name for f in features]
        if len(set(names)) != len(names):
            raise ValueError(f"a feature is listed twice: {names}")
        self.features: tuple[Feature, ...] = tuple(features)
        self.private_views: dict[str, PrivateView] = self._merged("private_views")
        self.suggestion_sources: dict[str, Callable[[Session], list[str]]] = self._merged(
            "suggestion_sources"
        )
        self.script_builtins: dict[str, Callable[..., Any]] = self._merged("script_builtins")
        self.settings: dict[str, Setting] = self._merged("settings")
        legacy: dict[str, str] = self._merged("default_deadlines")
        for name, value in legacy.items():
            if name in self.settings:
                raise ValueError(f"default_deadlines: {name!r} is also declared as a setting")
            self.settings[name] = Setting("duration", value, {"kk": name, "ru": name, "en": name})
        self.default_deadlines: dict[str, str] = {
            name: setting.default for name, setting in self.settings.items() if setting.kind == "duration"
        }
        self.notification_kinds: dict[str, NotificationKind] = self._merged("notification_kinds")
        self.evidence_sources: dict[str, EvidenceSource] = self._merged("evidence_sources")
        self.campaign_kinds: dict[str, CampaignKind] = self._merged("campaign_kinds")
        self.report_sections: dict[str, ReportSection] = self._merged("report_sections")
        self.export_tables: dict[str, ExportTable] = self._merged("export_tables")
        self.region_figures: dict[str, RegionFigure] = self._merged("region_figures")
        self.error_messages: dict[str, Callable[[Any], tuple[str, Mapping[str, Any]]]] = self._merged(
            "error_messages"
        )
        self.action_words: dict[str, Any] = self._merged_words("actions")
        self.flow_words: dict[str, Any] = self._merged_words("flows")
        self.status_words: dict[str, Any] = self._merged_words("statuses")
        self.process_words: dict[str, Any] = self._merged_words("processes")
        self.element_words: dict[str, Mapping[str, Any]] = {}
        for feature in self.features:
            for process_id, words in feature.timeline_words.elements.items():
                if process_id in self.element_words:
                    raise ValueError(f"timeline_words.elements: {process_id!r} is declared by two features")
                self.element_words[process_id] = words
        # Operator name → how its family binds to a run (`processes.operators.BoundOperators`), merged
        # once like the tables above: a run binds only the family it calls.
        self.operator_binders: dict[str, Callable[[Runtime, Session, int], OperatorTable]] = {
            name: family.build for family in self.all("operator_families") for name in family.names
        }

    def __iter__(self) -> Iterator[Feature]:
        return iter(self.features)

    def _merged(self, attribute: str) -> dict[str, Any]:
        """One table from every feature's; a name claimed twice is a wiring mistake, refused at start."""
        table: dict[str, Any] = {}
        for feature in self.features:
            for key, value in getattr(feature, attribute).items():
                if key in table:
                    raise ValueError(f"{attribute}: {key!r} is declared by two features")
                table[key] = value
        return table

    def _merged_words(self, kind: str) -> dict[str, Any]:
        """One table of a kind of timeline words. An action belongs to one feature (claimed twice: refused
        at start); flow labels and statuses ("approve", "rejected") may be shared, the first wins."""
        table: dict[str, Any] = {}
        for feature in self.features:
            for key, value in getattr(feature.timeline_words, kind).items():
                if key in table and kind == "actions":
                    raise ValueError(f"timeline_words.actions: {key!r} is declared by two features")
                table.setdefault(key, value)
        return table

    def all(self, attribute: str) -> list[Any]:
        """Every feature's entries of a tuple attribute, in the order the features were composed."""
        return [item for feature in self.features for item in getattr(feature, attribute)]

    @property
    def operator_families(self) -> list[OperatorFamily]:
        return self.all("operator_families")

    @property
    def operator_names(self) -> tuple[str, ...]:
        return tuple(name for family in self.operator_families for name in family.names)

    def is_signing_step(self, instance: ProcessInstance, task: HumanTask) -> bool:
        return any(rule(instance, task) for rule in self.all("signing_steps"))

    def prefill(
        self, session: Session, actor: Actor, instance: ProcessInstance, task: HumanTask
    ) -> dict[str, Any]:
        """The features' starting values for an open task's fresh form (later features win)."""
        values: dict[str, Any] = {}
        for read in self.all("task_prefills"):
            values.update(read(session, actor, instance, task) or {})
        return values

    def is_personal_step(self, instance: ProcessInstance, task: HumanTask) -> bool:
        return self.is_signing_step(instance, task) or any(
            rule(instance, task) for rule in self.all("personal_steps")
        )

    def panels(
        self, kind: str, session: Session, actor: Actor, instance: ProcessInstance, task: HumanTask | None
    ) -> list[Panel]:
        """The panels of a task page (`kind` "task") or an instance page ("instance") that have data."""
        shown: list[Panel] = []
        for panel in self.all(f"{kind}_panels"):
            data = panel.read(session, actor, instance, task)
            if data is not None:
                shown.append(Panel(panel.template, data))
        return shown
