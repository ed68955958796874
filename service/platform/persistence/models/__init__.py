"""Typed SQLAlchemy 2 models; the schema itself is created and changed only by Alembic migrations."""

# Importing the package imports every module below, so each core table joins `Base.metadata` and
# each class is in the mapper registry before mappers configure: Alembic's env.py, the session and
# the features (which map their own tables on `Base`) all import the models from here.
from service.platform.persistence.models.accounts import ApiToken, LoginThrottle, User, UserRole
from service.platform.persistence.models.audit import AuditEvent, AuditHead, AuditStream
from service.platform.persistence.models.base import Base, SharedTable, UtcDateTime
from service.platform.persistence.models.campaigns import Campaign, CampaignTask
from service.platform.persistence.models.files import FileReference, StoredFile
from service.platform.persistence.models.inbox import HumanTask, HumanTaskRole, Substitution
from service.platform.persistence.models.notifications import Notification, NotificationDigest
from service.platform.persistence.models.processes import (
    Comment,
    FormRevision,
    ProcessDefinition,
    ProcessInstance,
)
from service.platform.persistence.models.schools import Counter, School, SchoolSetting

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "AuditStream",
    "Base",
    "Campaign",
    "CampaignTask",
    "Comment",
    "Counter",
    "FileReference",
    "FormRevision",
    "HumanTask",
    "HumanTaskRole",
    "LoginThrottle",
    "Notification",
    "NotificationDigest",
    "ProcessDefinition",
    "ProcessInstance",
    "School",
    "SchoolSetting",
    "SharedTable",
    "StoredFile",
    "Substitution",
    "User",
    "UserRole",
    "UtcDateTime",
]
