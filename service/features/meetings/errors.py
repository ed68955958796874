"""The meetings feature's refusals, each a 409 with its own code (said in the reader's language by web)."""

from __future__ import annotations

from service.platform.errors import Conflict


class MinutesApproved(Conflict):
    """The minutes are approved: they never change; a correction is a new numbered addendum."""

    code = "minutes_approved"


class MeetingStarted(Conflict):
    """The agenda changes only until the meeting starts."""

    code = "meeting_started"


class MinutesNotApproved(Conflict):
    """An addendum corrects approved minutes; before approval the minutes themselves are edited."""

    code = "minutes_not_approved"


class MinutesIncomplete(Conflict):
    """Minutes are approved only with the attendance recorded."""

    code = "minutes_incomplete"


class MeetingCancelled(Conflict):
    """A cancelled meeting has no minutes to record or approve."""

    code = "meeting_cancelled"
