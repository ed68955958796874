"""The hook of a process whose existence is private: who sees it, what its task pages hide.

A private process builds one `PrivateView` and is listed in `access.PRIVATE_PROCESSES`; the shared use
cases (instance pages, task lists, task pages) consult that table and know nothing of the process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from service.platform.persistence.models import ProcessInstance
from service.platform.runtime import Actor


def _no_form(schema: dict[str, Any]) -> bool:
    return False


@dataclass(frozen=True)
class TaskRedaction:
    """A task page as one reader may see it."""

    data: dict[str, Any]
    # Earlier steps whose form (schema) matches are shown without who completed them.
    hides_author: Callable[[dict[str, Any]], bool] = _no_form
    # Whether the page shows the earlier steps' answers at all (a reader who is no party to them: none).
    earlier_steps: bool = True


@dataclass(frozen=True)
class PrivateView:
    # Whether the reader may open an instance's page (its history names people); else 404.
    instance_visible: Callable[[Session, Actor, ProcessInstance], bool]
    # Whether the reader sees other people's tasks and instances of the process in the general lists
    # ("all tasks", the instance list); if not, only the tasks they were assigned or completed.
    lists_all: Callable[[Actor], bool]
    # The data and earlier steps of a task page for a reader allowed on the task.
    redact_task: Callable[[Session, Actor, ProcessInstance, dict[str, Any]], TaskRedaction]
