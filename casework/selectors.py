"""Reads: what a user may see, and the working-day calendar. No writes here."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.choices import OPEN_STATUSES, CaseStatus
from casework.choices import Transition as T
from casework.clock import (
    ClockEvent,
    ClockResult,
    compute_clock,
    explain,
    remaining_working_days,
    supervision_level,
)
from casework.errors import NotVisible
from casework.lifecycle.actors import Person, Staff
from casework.lifecycle.follows import deadline_states
from casework.models import CalendarYear, Case, CaseNote, Division, Event, Organ, SpecialDay
from casework.payloads import FormData, Payload
from casework.permissions import ALL_CASES_ROLES, DIVISION_PERM, sees_all_cases, user_division_ids
from casework.workdays import CalendarData, WorkingCalendar

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from django_stubs_ext import StrOrPromise


def organ_the_one() -> Organ | None:
    """The organ this installation serves (one organ per installation, DESIGN): the first by
    pk; None before one is set up. Every page and command that needs "the organ" asks here."""
    return Organ.objects.order_by("pk").first()


def case_list_visible_to(*, user: Person) -> QuerySet[Case]:
    """Cases the user may see: all for the office roles and supervision; for liaison officers
    the cases whose lead division or a co-division is one of theirs. A plain division filter,
    never guardian over the cases table."""
    qs = Case.objects.select_related("applicant", "lead_division", "assignee", "organ")
    if sees_all_cases(user):
        return qs
    divisions = user_division_ids(user)
    if not divisions:
        return qs.none()
    co_case_ids = Case.co_divisions.through.objects.filter(division_id__in=divisions).values(
        "case_id"
    )
    return qs.filter(Q(lead_division_id__in=divisions) | Q(pk__in=co_case_ids))


def case_get_for_user(*, user: Person, number: str) -> Case:
    """One case by number, or NotVisible: the same answer for missing and forbidden."""
    case = case_list_visible_to(user=user).filter(number=number).first()
    if case is None:
        raise NotVisible(_("No such case."))
    return case


def case_history(*, case: Case) -> QuerySet[Event]:
    return case.events.select_related("actor").order_by("seq")


class _CalendarCache(TypedDict, total=False):
    calendar: tuple[tuple[tuple[object, ...], ...], WorkingCalendar]  # (tables' fingerprint, it)
    checked_at: float  # time.monotonic() of the last look at the tables
    fingerprint: str  # calendar_data_fingerprint of its content


_calendar_cache: _CalendarCache = {}


CALENDAR_RECHECK_SECONDS = 10.0


def working_calendar() -> WorkingCalendar:
    """The working-day calendar built from the SpecialDay and CalendarYear rows.

    Cached per process and keyed on a cheap fingerprint of the tables, rechecked at most every
    CALENDAR_RECHECK_SECONDS (so pages cost no query for it); writes in this process call
    working_calendar_forget(), other processes see a change within that interval.
    """

    cached = _calendar_cache.get("calendar")
    checked_at = _calendar_cache.get("checked_at", 0.0)
    if cached is not None and time.monotonic() - checked_at < CALENDAR_RECHECK_SECONDS:
        return cached[1]
    _calendar_cache["checked_at"] = time.monotonic()
    fingerprint = (
        tuple(
            SpecialDay.objects.aggregate(n=Count("pk"), pk=Max("pk"), at=Max("updated_at")).values()
        ),
        tuple(CalendarYear.objects.aggregate(n=Count("pk"), at=Max("loaded_at")).values()),
    )
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    holidays: set[date] = set()
    workdays: set[date] = set()
    for day, kind in SpecialDay.objects.values_list("day", "kind"):
        (holidays if kind == SpecialDay.Kind.HOLIDAY else workdays).add(day)
    data = CalendarData(
        holidays=frozenset(holidays),
        makeup_workdays=frozenset(workdays),
        official_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
    )
    calendar = WorkingCalendar(data)
    _calendar_cache["calendar"] = (fingerprint, calendar)
    _calendar_cache["fingerprint"] = calendar_data_fingerprint(data)
    return calendar


def calendar_data_fingerprint(data: CalendarData) -> str:
    """A short stable hash of the calendar's content: equal content, equal fingerprint."""

    text = "|".join(
        [
            ",".join(sorted(d.isoformat() for d in data.holidays)),
            ",".join(sorted(d.isoformat() for d in data.makeup_workdays)),
            ",".join(str(y) for y in sorted(data.official_years)),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def working_calendar_with_fingerprint() -> tuple[WorkingCalendar, str]:
    calendar = working_calendar()
    return calendar, _calendar_cache["fingerprint"]


def working_calendar_forget() -> None:
    _calendar_cache.pop("calendar", None)
    _calendar_cache.pop("checked_at", None)
    _calendar_cache.pop("fingerprint", None)


@dataclass(frozen=True)
class CaseClockView:
    """The clock of a case as shown to people: the result, its explanation, and where today
    stands (remaining working days and the supervision level)."""

    result: ClockResult
    timeline: list[Payload]
    remaining: int | None
    level: str

    @property
    def overdue_days(self) -> int:
        return -self.remaining if self.remaining is not None and self.remaining < 0 else 0


def case_clock(*, case: Case, today: date) -> CaseClockView:
    """Recompute the case's clock from its events for display (pure computation, one query)."""
    calendar = working_calendar()
    events = [
        ClockEvent(kind=kind, on=on, payload=payload)
        for kind, on, payload in case.events.order_by("seq").values_list("kind", "on", "payload")
    ]
    result = compute_clock(events, calendar, fee_pauses_clock=settings.FEE_PAUSES_CLOCK)
    remaining = None if result.closed_on else remaining_working_days(result, today, calendar)
    level = supervision_level(remaining, due_soon_within=settings.DUE_SOON_WORKING_DAYS)
    return CaseClockView(result=result, timeline=explain(result), remaining=remaining, level=level)


# Which stored deadline runs in which status: the case page and the queue rows both read this.
# From the one rule of what follows which status (casework.lifecycle.follows).
DEADLINE_STATES: dict[str, tuple[str, ...]] = deadline_states()
# Their names, the same on the case page and in the queue rows.
DEADLINE_LABELS: dict[str, StrOrPromise] = {
    "division_due_on": gettext_lazy("Internal due date for the division"),
    "correction_deadline_on": gettext_lazy("Applicant's correction deadline"),
    "fee_due_on": gettext_lazy("Fee payment deadline"),
}


def deadlines_met(case: Case) -> set[str]:
    """The internal deadlines the case has met, which no longer run: the correction notice
    once the correction was asked for (Art 30), the division's due date once it proposed its
    decision (since the case was last routed to it). A consultation's deadline is met by its
    answer (case_internal_deadlines lists only the open ones). One query over the ledger."""

    met: set[str] = set()
    proposed = False
    for kind in (
        case.events.filter(kind__in=[T.REQUEST_CORRECTION, T.ASSIGN, T.PROPOSE])
        .order_by("seq")
        .values_list("kind", flat=True)
    ):
        if kind == T.REQUEST_CORRECTION:
            met.add("correction_notice_due_on")
        proposed = kind == T.PROPOSE or (proposed and kind != T.ASSIGN)
    if proposed:
        met.add("division_due_on")
    return met


# The flow's tasks in which the division has already proposed (a decision sent back for
# revision): its internal due date was met (the queue rows read this instead of the ledger).
DIVISION_DUE_MET_IN_TASKS = frozenset({"revise"})


@dataclass(frozen=True)
class InternalDeadline:
    """A deadline inside the handling, with where today stands against it (the same levels
    and badge as the reply deadline): the division's internal due date, the applicant's
    correction deadline and the office's 7 working days to ask for it (Art 30), a consulted
    party's deadline (Art 32: 15 working days) and the fee payment deadline (国办函〔2020〕109号
    Art 6)."""

    label: str
    due_on: date
    remaining: int
    level: str
    estimated: bool = False

    @property
    def overdue_days(self) -> int:
        return -self.remaining if self.remaining < 0 else 0


def case_internal_deadlines(
    *, case: Case, today: date, clock: CaseClockView | None = None
) -> list[InternalDeadline]:
    """The internal deadlines that still run on the case now, soonest first."""

    if case.closed_on:
        return []
    calendar = working_calendar()
    due_soon = settings.DUE_SOON_WORKING_DAYS
    found: list[tuple[str, date, bool]] = []
    met = deadlines_met(case)
    # The office's 7 working days to ask for a correction (Art 30) run only until it asks:
    # the column stays set afterwards, so a case that was already asked shows nothing.
    if (
        case.correction_notice_due_on
        and "correction_notice_due_on" not in met
        and case.status in (CaseStatus.RECEIVED, CaseStatus.REGISTERED)
    ):
        found.append((_("Correction notice to be sent by"), case.correction_notice_due_on, False))
    for name, states in DEADLINE_STATES.items():
        due = getattr(case, name)
        if due and case.status in states and name not in met:
            found.append((str(DEADLINE_LABELS[name]), due, False))
    for item in consultations_with_deadlines(case, clock.result if clock else None):
        if item.consultation.closed_on is None:
            found.append(
                (
                    _("Consulted party's answer: %(name)s")
                    % {"name": item.consultation.party_name or _("consulted party")},
                    item.party_due_on,
                    item.estimated,
                )
            )
    deadlines = []
    for label, due, estimated in found:
        left = working_days_left(due, today, calendar) or 0
        deadlines.append(
            InternalDeadline(
                label=label,
                due_on=due,
                remaining=left,
                level=supervision_level(left, due_soon_within=due_soon),
                estimated=estimated,
            )
        )
    return sorted(deadlines, key=lambda d: d.due_on)


def case_warnings(case: Case) -> list[str]:
    """What the office should look at: incomplete applicant details (mail import), an agent
    without the power of attorney or the identity proofs (a ground for correction)."""
    warnings: list[str] = []
    if case.applicant.incomplete:
        warnings.append(
            _(
                "The applicant's details came from an e-mail and are incomplete: complete them when confirming receipt."
            )
        )
    kinds = set(case.attachments.values_list("kind", flat=True))
    if case.agent_id:
        missing = [
            label
            for kind, label in [
                ("power_of_attorney", _("power of attorney")),
                ("applicant_id", _("applicant's identity proof")),
                ("agent_id", _("agent's identity proof")),
            ]
            if kind not in kinds
        ]
        if missing:
            warnings.append(
                _("Applied through an agent, but missing: %(items)s (a ground for correction).")
                % {"items": "、".join(str(m) for m in missing)}
            )
    for kind, on, payload in case.events.filter(payload__has_key="late").values_list(
        "kind", "on", "payload"
    ):
        from casework.lifecycle.table import event_kind_label

        late = payload.get("late") or {}
        warnings.append(
            _("Done after its time limit: %(what)s on %(on)s (limit %(due)s). Reason: %(reason)s")
            % {
                "what": event_kind_label(kind),
                "on": on.isoformat(),
                "due": late.get("due_on", ""),
                "reason": payload.get("late_reason") or "—",
            }
        )
    correction = correction_requested(case)
    if correction is not None and correction.submitted_on is not None:
        warnings.append(
            _(
                "The applicant sent the correction online on %(date)s: check it and record its receipt."
            )
            % {"date": correction.submitted_on.isoformat()}
        )
    owed = owed_notices(case)
    if "extension" in owed:
        # Art 33(2): an extension is approved *and told to the applicant*.
        warnings.append(
            _(
                "The extension is approved but the applicant has not been sent the extension notice (Art 33(2)): issue it now."
            )
        )
    if "correction" in owed:
        # Art 30: a correction is asked for *in one notice* (补正告知书), like the extension.
        warnings.append(
            _(
                "A correction was requested but the applicant has not been sent the correction notice (Art 30): issue it now."
            )
        )
    return warnings


def owed_notices(case: Case) -> list[str]:
    """The notices the applicant is owed now, as letter kinds: the extension notice of an
    approved extension (Art 33(2)) and the correction notice of a requested correction
    (Art 30), each until one is issued and not voided. The case page warns of them and the
    letters page opens with the first chosen (issue 24 point 3)."""
    owed = []
    if case.extension_days and not _notice_stands(case, "extension"):
        owed.append("extension")
    if (
        not case.closed_on
        and case.events.filter(kind="request_correction").exists()
        and not _notice_stands(case, "correction")
    ):
        owed.append("correction")
    return owed


CONSULTATION_LETTERS = {
    "third_party": "consultation_third_party",
    "other_organ": "consultation_organ",
}


def letter_due_next(case: Case) -> str:
    """The letter the letters page opens with when no reply is due: an owed notice first
    (owed_notices), else the letter to a party consulted and not yet written to (Art 32, 34:
    consultation is in writing). A kind the user cannot issue is skipped by the caller."""
    owed = owed_notices(case)
    if owed:
        return owed[0]
    for consultation in consultations_open(case):
        kind = CONSULTATION_LETTERS.get(consultation.party, "")
        if kind and not _notice_stands(case, kind):
            return kind
    return ""


def _notice_stands(case: Case, kind: str) -> bool:
    """Whether a letter of `kind` was issued on the case and not voided (from the ledger)."""

    issued: set[str] = set()
    for event_kind, payload in case.events.filter(
        kind__in=[T.ISSUE_LETTER, T.VOID_LETTER]
    ).values_list("kind", "payload"):
        if event_kind == T.ISSUE_LETTER and payload.get("kind") == kind:
            issued.add(payload.get("letter", ""))
        elif event_kind == T.VOID_LETTER:
            issued.discard(payload.get("letter", ""))
    return bool(issued)


def case_list_filter(cases: QuerySet[Case], data: FormData) -> QuerySet[Case]:
    """The case list's filter form: the search box (casework.search), status, division,
    channel, receipt dates."""
    from casework.search import case_search_filter

    if data.get("q"):
        cases = case_search_filter(cases, str(data["q"]))
    if data.get("status"):
        cases = cases.filter(status=data["status"])
    if data.get("division"):
        cases = cases.filter(lead_division=data["division"])
    if data.get("channel"):
        cases = cases.filter(channel=data["channel"])
    if data.get("received_from"):
        cases = cases.filter(received_on__gte=data["received_from"])
    if data.get("received_to"):
        cases = cases.filter(received_on__lte=data["received_to"])
    return cases


def case_list_drilldown(
    cases: QuerySet[Case], params: Mapping[str, str], *, today: date
) -> QuerySet[Case]:
    """Filters behind the numbers of the supervision dashboard and the annual report, so every
    number drills down to its cases (DESIGN §6)."""

    if params.get("open"):
        cases = cases.filter(status__in=OPEN_STATUSES)
    level = params.get("level")
    if level in ("overdue", "due_soon"):
        cases = cases.filter(status__in=OPEN_STATUSES)
        if level == "overdue":
            cases = cases.filter(reply_due_on__lt=today)
        else:
            soon = working_calendar().add_working_days(today, settings.DUE_SOON_WORKING_DAYS)
            cases = cases.filter(reply_due_on__gte=today, reply_due_on__lte=soon)
    if params.get("provisional"):
        cases = cases.filter(status__in=OPEN_STATUSES, dates_provisional=True)
    if params.get("division") == "none":
        cases = cases.filter(lead_division__isnull=True)
    try:
        if params.get("closed_from"):
            cases = cases.filter(closed_on__gte=date.fromisoformat(params["closed_from"]))
        if params.get("closed_to"):
            cases = cases.filter(closed_on__lte=date.fromisoformat(params["closed_to"]))
    except ValueError:
        return cases.none()
    if params.get("report"):
        from casework.annual_report import report_cell_cases

        try:
            year = int(params["report"])
        except ValueError:
            return cases.none()
        if not 1900 <= year <= 2999:  # no annual report outside; date() fails past 1..9999
            return cases.none()
        organ = organ_the_one()
        if organ is None:
            return cases.none()
        cell = report_cell_cases(organ, year, params.get("row", ""), params.get("col", "total"))
        cases = cases.filter(pk__in=cell.values("pk"))
    return cases


def case_list_drilldown_error(params: Mapping[str, str]) -> str | None:
    """Why the drill-down parameters of a case list cannot be read (a Chinese message), or
    None: a report year outside the annual reports' range, a malformed closing date."""

    for key in ("closed_from", "closed_to"):
        if params.get(key):
            try:
                date.fromisoformat(params[key])
            except ValueError:
                return _("The date %(value)s cannot be read: write it as 2026-03-05.") % {
                    "value": params[key][:20]
                }
    if params.get("report"):
        value = params["report"]
        if not (value.isdigit() and 1900 <= int(value) <= 2999):
            return _("There is no annual report for the year %(value)s.") % {"value": value[:20]}
    return None


def applicant_pieces_earlier_in_month(case: Case) -> int:
    """109号 Art 4: the applicant's applications received earlier in the same calendar month.

    The same applicant is the same identity document or credit code, not the same row (every
    intake records the applicant afresh)."""
    received = case.received_on
    if received is None:
        return 0
    applicant = case.applicant
    if applicant.credit_code:
        same = Q(applicant__credit_code=applicant.credit_code)
    elif applicant.id_number:
        same = Q(applicant__id_type=applicant.id_type, applicant__id_number=applicant.id_number)
    else:
        same = Q(applicant_id=applicant.pk)
    return (
        Case.objects.filter(
            same, received_on__year=received.year, received_on__month=received.month
        )
        .filter(Q(received_on__lt=received) | Q(received_on=received, pk__lt=case.pk))
        .count()
    )


@dataclass(frozen=True)
class Consultation:
    """A consultation of a third party (Art 32) or another organ (Art 34), from the ledger."""

    consultation_id: str
    party: str
    party_name: str
    matter: str
    sent_on: date
    closed_on: date | None
    opinion: str


def consultations(case: Case) -> list[Consultation]:
    """Every consultation of the case, in the order they were sent."""

    return consultations_from(
        case.events.filter(kind__in=[T.OPEN_CONSULTATION, T.CLOSE_CONSULTATION])
        .order_by("seq")
        .values_list("kind", "on", "payload")
    )


def consultations_from(rows: Iterable[tuple[str, date, Payload]]) -> list[Consultation]:
    """The consultations in a case's ledger rows (kind, on, payload), in seq order; other
    kinds are passed over, so callers that already hold the ledger need no second query."""

    found: dict[str, Consultation] = {}
    for kind, on, payload in rows:
        key = str(payload.get("consultation_id", ""))
        if kind == T.OPEN_CONSULTATION:
            found[key] = Consultation(
                key,
                payload.get("party", ""),
                payload.get("party_name", ""),
                payload.get("matter", ""),
                on,
                None,
                "",
            )
        elif kind == T.CLOSE_CONSULTATION and key in found:
            opened = found[key]
            found[key] = Consultation(
                key,
                opened.party,
                opened.party_name,
                opened.matter,
                opened.sent_on,
                on,
                payload.get("opinion", ""),
            )
    return list(found.values())


def consultations_open(case: Case) -> list[Consultation]:
    return [c for c in consultations(case) if c.closed_on is None]


def working_days_left(due: date | None, today: date, calendar: WorkingCalendar) -> int | None:
    """Working days from `today` to `due`, the way the reply clock counts them
    (casework.clock.remaining_working_days): 0 on the due date, negative once it has passed
    (at least -1), None without a date."""
    if due is None:
        return None
    if today <= due:
        return calendar.working_days_between(today, due)
    return -max(1, calendar.working_days_between(due, today))


INTERNAL_DEADLINES = (
    "division_due_on",
    "correction_notice_due_on",
    "correction_deadline_on",
    "fee_due_on",
)


@dataclass(frozen=True)
class Deadline:
    due_on: date
    remaining_working_days: int | None


def case_deadlines(case: Case, *, today: date) -> dict[str, Deadline | None]:
    """The case's other time limits beside the reply due date, as the lifecycle stored them:
    the divisions' internal due date, the correction notice (Art 30: 7 working days), the
    applicant's correction deadline and the fee payment deadline (国办函〔2020〕109号 Art 6);
    None where the case has none."""
    calendar = working_calendar()
    result: dict[str, Deadline | None] = {}
    for name in INTERNAL_DEADLINES:
        due = getattr(case, name)
        result[name] = (
            Deadline(due_on=due, remaining_working_days=working_days_left(due, today, calendar))
            if due
            else None
        )
    return result


CONSULTATION_WORKING_DAYS = 15


@dataclass(frozen=True)
class ConsultationWithDeadline:
    """A consultation and the consulted party's deadline (Art 32: 15 working days).

    `party_due_on` runs from the party's recorded receipt of the letter; until that is
    recorded it is counted from the sending day and `estimated`."""

    consultation: Consultation
    party_due_on: date
    estimated: bool


def consultations_with_deadlines(
    case: Case, clock: ClockResult | None = None
) -> list[ConsultationWithDeadline]:
    """Every consultation of the case with the party's deadline: the one the clock used to
    exclude working days (casework.clock), else the 15th working day after sending."""
    by_key = {c.key: c for c in clock.consultations} if clock else {}
    calendar = working_calendar()
    result = []
    for c in consultations(case):
        counted = by_key.get(c.consultation_id)
        result.append(
            ConsultationWithDeadline(
                consultation=c,
                party_due_on=counted.party_due_on
                if counted
                else calendar.add_working_days(c.sent_on, CONSULTATION_WORKING_DAYS),
                estimated=counted.estimated if counted else True,
            )
        )
    return result


@dataclass(frozen=True)
class CorrectionRequest:
    """What the office asked the applicant to correct (Art 30), and whether it was sent online."""

    items: str
    deadline_on: date | None
    submitted_on: date | None


def correction_requested(case: Case) -> CorrectionRequest | None:
    """The open correction request of a case awaiting correction, else None."""

    if case.status != CaseStatus.CORRECTION:
        return None
    asked = case.events.filter(kind=T.REQUEST_CORRECTION).order_by("-seq").first()
    if asked is None:
        return None
    sent = case.events.filter(kind="submit_correction", seq__gt=asked.seq).order_by("-seq").first()
    deadline = asked.payload.get("deadline_on")
    return CorrectionRequest(
        items=str(asked.payload.get("items", "")),
        deadline_on=date.fromisoformat(deadline) if deadline else None,
        submitted_on=sent.on if sent else None,
    )


# --- case notes (internal; never shown to the applicant) -------------------------------------

NOTE_MENTIONS_SHOWN = 10
NOTE_MENTIONS_DAYS = 30


def case_note_divisions(case: Case) -> QuerySet[Division]:
    """The divisions a note may mention: the case's lead division and co-divisions (the
    divisions that see the case)."""
    ids = {case.lead_division_id, *case.co_divisions.values_list("pk", flat=True)} - {None}
    return Division.objects.filter(pk__in=ids, is_active=True).order_by("code")


def case_note_users(case: Case, divisions: QuerySet[Division] | None = None) -> QuerySet[User]:
    """The staff a note may mention: the active users who can see the case (the office roles,
    supervision, and the members of the case's divisions: `divisions`, case_note_divisions by
    default). One lazy query; the members are the direct division grants that
    permissions.division_members reads, taken for all the divisions at once."""

    from guardian.models import UserObjectPermission

    if divisions is None:
        divisions = case_note_divisions(case)
    app_label, codename = DIVISION_PERM.split(".")
    members = UserObjectPermission.objects.filter(
        permission__codename=codename,
        permission__content_type__app_label=app_label,
        object_pk__in=[str(pk) for pk in divisions.values_list("pk", flat=True)],
    ).values("user_id")
    sees_all = Q(groups__name__in=sorted(ALL_CASES_ROLES)) | Q(is_superuser=True)
    users = get_user_model().objects.filter(is_active=True).filter(sees_all | Q(pk__in=members))
    return get_user_model().objects.filter(pk__in=users.values("pk")).order_by("username")


def case_notes(*, case: Case) -> QuerySet[CaseNote]:
    """The notes of a case, oldest first, for a page that already checked access."""
    return (
        case.notes.select_related("author")
        .prefetch_related("mentioned_users", "mentioned_divisions")
        .order_by("created_at", "pk")
    )


def note_mentions_for(
    *, user: Staff, now: datetime | None = None, limit: int = NOTE_MENTIONS_SHOWN
) -> list[CaseNote]:
    """Recent notes that mention `user` or one of the user's divisions, on cases the user can
    see, newest first (the workbench's 提到我的备注)."""

    if not getattr(user, "is_authenticated", False):
        return []
    since = (now or timezone.now()) - timedelta(days=NOTE_MENTIONS_DAYS)
    mentioned = Q(mentioned_users=user)
    divisions = user_division_ids(user)
    if divisions:
        mentioned |= Q(mentioned_divisions__in=sorted(divisions))
    ids = (
        CaseNote.objects.filter(mentioned, created_at__gte=since)
        .filter(case__in=case_list_visible_to(user=user).values("pk"))
        .exclude(author=user)
        .values("pk")
    )
    return list(
        CaseNote.objects.filter(pk__in=ids)
        .select_related("case", "author")
        # What the list shows (workflows/_mentions.html): not the cases' and authors' whole rows.
        .only(
            "text",
            "created_at",
            "case__number",
            "author__username",
            "author__last_name",
            "author__first_name",
        )
        .order_by("-created_at", "-pk")[:limit]
    )
