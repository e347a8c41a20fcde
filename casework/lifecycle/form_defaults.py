"""Sensible defaults of the action forms (issue 24 point 6): what the officer would type
anyway, offered in the unbound form and changed freely. Nothing here decides anything: the
lifecycle checks the submitted values as before."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from casework.selectors import consultations_open, working_calendar

if TYPE_CHECKING:
    from casework.models import Case


def correction_deadline_default(today: date | None = None) -> date:
    """Art 30 asks for "a reasonable correction deadline" (合理的补正期限) without a number:
    CORRECTION_DEADLINE_WORKING_DAYS working days after today (15 by default, the figure many
    local rules use), on the working-day calendar."""

    start = today or timezone.localdate()
    return working_calendar().add_working_days(start, settings.CORRECTION_DEADLINE_WORKING_DAYS)


def only_open_consultation(case: Case) -> str:
    """The id of the case's open consultation when there is exactly one (the form preselects
    it), else "" (the officer picks among several, or there is none)."""

    found = list(consultations_open(case))
    return found[0].consultation_id if len(found) == 1 else ""
