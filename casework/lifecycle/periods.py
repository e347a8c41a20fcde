"""When a step is entered, not only its effective date: the periods the law sets for a step,
and steps recorded for an earlier day (补录/倒签).

Every event keeps its effective date (`on`, the day it happened in the world) and the moment
it was entered (`entered_at`, server time). Two checks read both, in the lifecycle's
`begin()` (casework.lifecycle.machine), for every transition:

- **The step's period** (`Period`, declared on the transition with `period=`). A step the law
  ties to a period is judged by the later of its effective date and its entry date when the
  step is the organ's own notice or decision (`by_entry`): what reaches the applicant is dated
  the day it is entered, so backdating the effective date cannot bring it inside the period.
  What the law allows after the period decides the `late` rule:

  * `REFUSED`: not possible any more (the extension, Art 33(2); the fee notice, 109号);
  * `REASON`: still lawful and still owed, accepted with a recorded reason and flagged;
  * `FLAGGED`: owed whatever the delay (the reply), flagged, the reason optional.

- **Backdating**: a step whose effective date lies more than BACKDATE_REASON_WORKING_DAYS
  working days before the day it is entered needs a recorded reason (`backdate_reason`); the
  event is flagged (`backdated`) and listed on the supervision dashboard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import InvalidInput
from casework.payloads import FormData, Payload
from casework.selectors import working_calendar
from casework.text import cn_date

if TYPE_CHECKING:
    from casework.lifecycle.machine import CaseLifecycle
    from casework.lifecycle.table import TransitionSpec

REFUSED = "refused"  # after the period the step is no longer possible
REASON = "reason"  # after the period it is still owed: only with a recorded reason, flagged
FLAGGED = "flagged"  # after the period it is still owed: flagged, a reason may be given

# The event keys these checks record (the history labels them in casework_tags).
BACKDATE_KEYS = ("backdated", "backdate_reason")


@dataclass(frozen=True)
class Period:
    """The period the law sets for a step: its last day on this case (`due`, None when none
    runs), the article, what is allowed after it (`late`), and whether the entry date counts
    (`by_entry`: the organ's own notices and decisions) or only the effective date (the
    applicant's acts, e.g. a correction or payment that arrived on a given day)."""

    due: Callable[[CaseLifecycle], date | None]
    article: str
    late: str = REASON
    by_entry: bool = True


def entry_date(lc: CaseLifecycle) -> date:
    """The day the step is entered (server time, the site's time zone)."""
    return timezone.localdate(lc.now)


def acted_on(lc: CaseLifecycle, period: Period) -> date:
    """The day the step counts as done for its period."""
    return max(lc.on, entry_date(lc)) if period.by_entry else lc.on


def period_refusal(lc: CaseLifecycle, spec: TransitionSpec) -> str | None:
    """Why `spec` can no longer be taken (its period has ended and the law allows nothing
    after it), or None."""
    period = spec.period
    if period is None or period.late != REFUSED:
        return None
    due = period.due(lc)
    if due is None or acted_on(lc, period) <= due:
        return None
    return _(
        "This step must be taken by %(due)s (%(article)s); it is entered on %(entered)s, after the period has ended, and can no longer be taken."
    ) % {
        "due": chinese_date(due),
        "article": article_cn(period.article),
        "entered": chinese_date(entry_date(lc)),
    }


# The articles the periods cite, as a Chinese message names them.
ARTICLES_CN = {
    "Art 30": "《政府信息公开条例》第三十条",
    "Art 31(3)-(4)": "《政府信息公开条例》第三十一条第（三）、（四）项",
    "Art 33": "《政府信息公开条例》第三十三条",
    "Art 33(2)": "《政府信息公开条例》第三十三条第二款",
}


def article_cn(article: str) -> str:
    return ARTICLES_CN.get(article, article)


chinese_date = cn_date  # 2026年3月5日 (casework.text)


def period_late(lc: CaseLifecycle, spec: TransitionSpec, data: FormData) -> Payload:
    """What the event records of a step taken after its period (REASON: the reason is
    required; FLAGGED: it is optional); {} when the step is on time or has no period."""
    period = spec.period
    if period is None or period.late == REFUSED:
        return {}
    due = period.due(lc)
    if due is None or acted_on(lc, period) <= due:
        return {}
    reason = str(data.get("late_reason") or "").strip()
    if not reason and period.late == REASON:
        raise InvalidInput(
            _("This step comes after its time limit (%(date)s): state the reason.")
            % {"date": chinese_date(due)},
            field="late_reason",
        )
    late: Payload = {"late": {"what": spec.name, "due_on": due.isoformat()}}
    if reason:
        late["late_reason"] = reason
    return late


def backdated(lc: CaseLifecycle, spec: TransitionSpec, reason: str) -> Payload:
    """What the event records of a step entered for an earlier day: nothing within
    BACKDATE_REASON_WORKING_DAYS working days; beyond, the reason is required and the event
    is flagged (`backdated`: the entry date and the working days between)."""

    if spec.name == "receive" or lc.actor.kind == "system":
        return {}  # the receipt keeps its own arrival record (Art 31); the system acts on time
    entered = entry_date(lc)
    if lc.on >= entered:
        return {}
    days = working_calendar().working_days_between(lc.on, entered)
    if days <= settings.BACKDATE_REASON_WORKING_DAYS:
        return {}
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            _(
                "The effective date is %(days)s working days before today: state why the step is recorded only now."
            )
            % {"days": days},
            field="backdate_reason",
        )
    return {
        "backdated": {"entered_on": entered.isoformat(), "working_days": days},
        "backdate_reason": reason,
    }
