"""The platform's /api/v1 answers as typed models: tasks, instances, processes, notifications, errors."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from service.platform.web.api_model import ApiModel, Moment, Omittable


class DeployProblem(ApiModel):
    """One reason a BPMN file was refused, at its element and line where known."""

    element: str | None = None
    line: int | None = None
    message: Omittable[str] = None  # always sent; 1.1 documented no field as required
    code: Omittable[str] = None  # a stable code of the problem (added in 1.2)
    text: Omittable[str] = None  # the problem in the reader's language, with what to do (added in 1.2)


class Error(ApiModel):
    """Every error answer. A feature's error may add what a client needs to resolve it (e.g. `conflict`)."""

    # Extra fields come from the features' error messages (the registry's `error_messages`).
    model_config = ConfigDict(extra="allow")

    error: str
    message: str
    fields: dict[str, str] = {}
    problems: list[DeployProblem] = []


class Task(ApiModel):
    """An inbox row."""

    id: int
    instance_id: int
    process_id: str
    bpmn_id: str
    name: str
    role: str | None
    assignee: str | None = Field(description="username")
    status: Literal["open", "completed", "cancelled"]
    due_at: Moment | None
    created_at: Moment
    completed_at: Moment | None = None
    completed_by: str | None = None
    candidate_roles: list[str] = []


class TaskForm(ApiModel):
    """A task's form: its key in forms/ and its JSON Schema."""

    key: str | None = None
    form_schema: dict[str, Any] = Field(default={}, alias="schema")


class TaskDetail(Task):
    """A task with its form schema and current data."""

    form: TaskForm = TaskForm()
    data: dict[str, Any] = {}


class TaskList(ApiModel):
    """A page of inbox rows and how many match in all."""

    tasks: list[Task] = []
    total: int = Field(
        0,
        description="rows matching the filter: exact up to max(1000, offset + limit); one more than that "
        "means 'more than that many' (total_exact is then false)",
    )
    total_exact: bool = Field(True, description="whether `total` is the exact count (added in 1.2)")
    campaign_tasks: list[CampaignTask] = Field(
        [],
        description="with scope=mine and status=open: my pending campaign tasks (acknowledgements, "
        "surveys), newest first, at most `limit` (added in 1.3)",
    )
    next: str | None = Field(
        None,
        description="pass as `cursor` for the page after this one; null when this is the last (added in 1.4)",
    )
    previous: str | None = Field(
        None,
        description="pass as `cursor` for the page before this one; null on the first (added in 1.4)",
    )


class CampaignTask(ApiModel):
    """A person's pending part of a campaign: respond at `url` (a page) or through the API."""

    id: int
    campaign_id: int
    kind: str
    name: str = Field(description="in the caller's language")
    title: str
    instance_id: int | None
    status: Literal["pending", "done", "missed"] = "pending"
    created_at: Moment
    due_at: Moment | None
    url: str = Field(description="the page where the person responds")


class CampaignResponse(ApiModel):
    """A recorded response; `ended` when it was the last one and ended the campaign."""

    campaign_id: int
    task_id: int
    responded_at: Moment
    ended: bool


class CampaignProgress(ApiModel):
    """A campaign as its managers see it: counts and who is still pending; `summary` once it ended."""

    id: int
    kind: str
    title: str
    status: Literal["open", "done"]
    outcome: str | None
    audience: int
    responded: int
    pending: list[str] = Field(description="usernames still pending")
    deadline_at: Moment | None
    summary: dict[str, Any] | None = None


ACTOR_NAME = "the person's full name (added in 1.1; the username when no account has it, e.g. system)"


class InstanceHistoryEntry(ApiModel):
    """One step of an instance's history."""

    at: Moment
    actor: str = Field(description="username")
    actor_name: str = Field(description=ACTOR_NAME)
    on_behalf_of: Omittable[str] = Field(
        default=None, description="the absent person a deputy acted for (username); omitted otherwise"
    )
    on_behalf_of_name: Omittable[str] = Field(default=None, description="the absent person's full name")
    action: str
    task: str | None
    decision: str | None
    comment: str | None


class Instance(ApiModel):
    """An instance with its open tasks and history."""

    id: int
    process_id: str
    version: int
    status: Literal["running", "completed", "cancelled", "error"]
    title: str
    started_by: str | None
    started_at: Moment
    ended_at: Moment | None
    tasks: list[Task]
    history: list[InstanceHistoryEntry]


class Process(ApiModel):
    """A process the caller may start, at its active version."""

    id: str
    name: str
    version: int


class ProcessList(ApiModel):
    """The processes the caller may start."""

    processes: list[Process] = []


class DeployWarningTask(ApiModel):
    """A step a deploy warning is about: its BPMN id and its name in the diagram."""

    id: str
    name: str


class DeployWarning(ApiModel):
    """Something to set right that did not stop the deploy (added in 1.7)."""

    code: str = Field(description="role_unheld: steps are sent to a role no active person here holds")
    element: str | None = Field(description="the first step concerned")
    role: str = Field(description="the role's code")
    role_name: str = Field(description="the role's name in the caller's language")
    tasks: list[DeployWarningTask] = Field(description="every step that would wait with nobody to do it")
    message: str = Field(description="in English")
    text: str = Field(description="in the caller's language, with what to do")


class DeployedProcess(ApiModel):
    """A deployed BPMN file: its process and version; `changed` is false when it equals the active one."""

    id: Omittable[str] = None  # always sent; 1.1 documented neither as required
    version: Omittable[int] = None
    changed: Omittable[bool] = None
    warnings: Omittable[list[DeployWarning]] = None  # always sent since 1.7, empty when all is well


class Notification(ApiModel):
    """A notification, with parameters its `kind` describes."""

    id: int
    kind: str
    params: dict[str, Any]
    instance_id: int | None = None
    task_id: int | None = None
    created_at: Moment
    unread: bool


class NotificationList(ApiModel):
    """My notifications, newest first, with the unread count."""

    unread: int
    notifications: list[Notification]


class MigrationRow(ApiModel):
    """One running instance of the older version: whether it can move, why not, and whether it moved."""

    id: int
    can_move: bool
    reason: str | None = Field(description="why it cannot move, in the caller's language")
    reason_code: str | None = Field(
        description="waiting_step_removed, passed_step_removed, step_events_changed, form_changed, "
        "called_process_missing, "
        "not_on_version, move_failed or cannot_read"
    )
    moved: bool
    waiting: list[str] = Field(description="labels of the steps it waits on")
    changes: list[str] = Field(description="what changes for it, in the caller's language")


class MigrationResult(ApiModel):
    """The dry run or the move of running instances to another version."""

    dry_run: bool
    instances: list[MigrationRow]


class SchoolSetting(ApiModel):
    """One school setting: its value now and where it comes from (school, environment or default)."""

    name: str
    kind: str = Field(description="duration (ISO 8601), fraction (such as 2/3) or choice")
    label: str = Field(description="the setting's name in the caller's language")
    value: str
    source: str = Field(description="school (the admin's value), environment or default")
    default: str
    choices: list[str] = Field(description="the values a choice may take")
    updated_by: str | None = None
    updated_at: Moment | None = None


class SettingList(ApiModel):
    """Every school setting the features declare."""

    settings: list[SchoolSetting]


class Substitution(ApiModel):
    """Out of office: `deputy` also works on `absent`'s tasks (never their votes) from `starts_on` to
    `ends_on`, both included."""

    id: int
    absent: str = Field(description="username")
    absent_name: str
    deputy: str = Field(description="username")
    deputy_name: str
    starts_on: str = Field(description="YYYY-MM-DD")
    ends_on: str = Field(description="YYYY-MM-DD, included")
    created_by: str
    active: bool = Field(description="it runs today")


class SubstitutionList(ApiModel):
    substitutions: list[Substitution]


class PublishedSchool(ApiModel):
    """What one school got of a version the region published."""

    school: str = Field(description="the school's code")
    version: int | None = Field(description="the school's version of the process now; null when refused")
    changed: bool = Field(description="a new version was deployed there (false: it already had this one)")
    replaced_own: int | None = Field(
        description="the school's own version that was active until now; it stays as an older version"
    )
    problems: list[DeployProblem] = Field(description="why it could not deploy there")
    warnings: list[DeployWarning] = Field(
        default_factory=list,
        description="steps of the version that would wait there: sent to a role nobody active in that "
        "school holds (added in 1.8; each `text` in the caller's language)",
    )


class Publication(ApiModel):
    """A region's process version published to every school."""

    process_id: str
    version: int = Field(description="the region's version that was published")
    schools: list[PublishedSchool]


# The platform's component schemas, in the order the document lists them.
MODELS: tuple[type[ApiModel], ...] = (
    Error,
    Task,
    TaskDetail,
    TaskList,
    CampaignTask,
    CampaignResponse,
    CampaignProgress,
    Instance,
    Process,
    ProcessList,
    DeployedProcess,
    DeployWarning,
    DeployWarningTask,
    Notification,
    NotificationList,
    DeployProblem,
    MigrationRow,
    MigrationResult,
    SchoolSetting,
    SettingList,
    Substitution,
    SubstitutionList,
    PublishedSchool,
    Publication,
)


TaskList.model_rebuild()  # it names CampaignTask, defined after it
