"""Saved views and bulk work on the staff case list (issue 14 point 5).

A saved view keeps only the filter's query string: the cases are looked up again for the user
each time (case_list_visible_to), never stored. A bulk action acts on each case separately
through `workflows.services.case_act` (permission, row lock, one event per case): a case that
fails is reported on its row and does not stop the others.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.choices import Role, Transition
from casework.errors import CaseworkError, NotVisible
from casework.exports import xlsx_append
from casework.lifecycle import TRANSITIONS
from casework.lifecycle.actors import Person, Staff
from casework.lifecycle.roles import ASSIGNEE, CO_LIAISON, LEAD_LIAISON
from casework.models import Case
from casework.permissions import sees_contact_details, user_roles
from casework.selectors import case_list_visible_to
from casework.validators import mask_email, mask_phone
from workflows.models import SavedView
from workflows.services import case_act

# The case list's filters a saved view keeps: the filter form's fields and the drill-down
# parameters of the dashboard and the annual report (casework.selectors.case_list_drilldown).
SAVED_VIEW_KEYS = (
    "q",
    "status",
    "division",
    "channel",
    "received_from",
    "received_to",
    "open",
    "level",
    "provisional",
    "closed_from",
    "closed_to",
    "report",
)

# The transitions the bulk bar offers, in its order; export is not a transition.
BULK_TRANSITIONS = (Transition.CLAIM, Transition.ASSIGN, Transition.URGE)
EXPORT = "export"
BULK_MAX_CASES = 200
EXPORT_MAX_ROWS = 5000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- saved views -------------------------------------------------------------------------


def saved_view_query(params: Mapping[str, object]) -> str:
    """The filter part of a case list query string, in a fixed order, without empty values
    and without the page number."""
    query = QueryDict(mutable=True)
    for key in SAVED_VIEW_KEYS:
        value = params.get(key)
        if value not in (None, ""):
            query[key] = str(value)
    return query.urlencode()


def saved_views_of(user: Staff) -> QuerySet[SavedView]:
    return SavedView.objects.filter(owner=user)


def saved_view_create(*, owner: Staff, name: str, params: Mapping[str, object]) -> SavedView:
    """Keep the current filter under `name` (validated by the form: required, ≤ 40
    characters, unique for the owner)."""
    return SavedView.objects.create(owner=owner, name=name, query=saved_view_query(params))


def saved_view_delete(*, owner: Staff, pk: str | int | None) -> bool:
    """Delete one of the owner's own views; False when there is none with that id (someone
    else's view is the same as a missing one)."""
    if pk is None:
        return False
    try:
        view_id = int(pk)
    except (TypeError, ValueError):
        return False
    deleted, _rows = SavedView.objects.filter(owner=owner, pk=view_id).delete()
    return bool(deleted)


# --- bulk actions ------------------------------------------------------------------------


def may_ever(user: Person, name: str) -> bool:
    """Whether the user's roles allow transition `name` on some case at all (the transition
    table's rules, lifecycle/roles.py): a division rule needs the liaison role."""
    roles = user_roles(user)
    for rule in TRANSITIONS[name].roles:
        if rule in roles:
            return True
        if rule in (LEAD_LIAISON, CO_LIAISON, ASSIGNEE) and Role.LIAISON in roles:
            return True
    return False


def bulk_actions_for(user: Person) -> list[tuple[str, str]]:
    """(name, label) of the bulk actions offered to the user: the transitions the user's
    roles may fire at all, then export for everyone who sees the list."""
    actions = [(str(n), str(TRANSITIONS[n].label)) for n in BULK_TRANSITIONS if may_ever(user, n)]
    return [*actions, (EXPORT, _("Export (XLSX)"))]


@dataclass(frozen=True)
class BulkResult:
    number: str
    ok: bool
    message: str


def bulk_act(
    *, user: Staff, numbers: Sequence[str], name: str, fields: Mapping[str, object] | None = None
) -> list[BulkResult]:
    """Fire transition `name` on each case (in the order given, once each), each through
    case_act in its own transaction. A case the user cannot see answers "No such case." and is
    not touched; any CaseworkError is that row's message."""
    visible: dict[str, list[Case]] = {}
    for case in case_list_visible_to(user=user).filter(number__in=list(numbers)):
        visible.setdefault(case.number, []).append(case)
    results = []
    for number in dict.fromkeys(numbers):
        cases = visible.get(number)
        if not cases:
            results.append(BulkResult(number, False, NotVisible(_("No such case.")).message))
            continue
        try:
            for case in cases:
                case_act(
                    number=case.number,
                    organ=case.organ,
                    name=name,
                    actor=user,
                    fields=dict(fields or {}),
                )
        except CaseworkError as exc:
            results.append(BulkResult(number, False, exc.message))
        else:
            results.append(BulkResult(number, True, _("Succeeded")))
    return results


# --- export ------------------------------------------------------------------------------


def export_headers() -> list[str]:
    return [
        _("Case number"),
        _("Applicant"),
        _("Phone"),
        _("E-mail"),
        _("Information requested"),
        _("Channel"),
        _("Date of receipt"),
        _("Status"),
        _("Lead division"),
        _("Reply due on"),
    ]


def export_row(user: Staff, case: Case) -> list[str]:
    """One case as a row; phone and e-mail masked for a user who may not see them in full
    (casework.permissions.sees_contact_details, issue 16 point 2)."""
    applicant = case.applicant
    full = sees_contact_details(user, case)
    phone = applicant.phone if full else mask_phone(applicant.phone) if applicant.phone else ""
    email = applicant.email if full else mask_email(applicant.email) if applicant.email else ""
    return [
        case.number,
        applicant.name,
        phone,
        email,
        case.subject,
        case.get_channel_display(),
        case.received_on.isoformat() if case.received_on else "",
        case.get_status_display(),
        case.lead_division.name if case.lead_division else "",
        case.reply_due_on.isoformat() if case.reply_due_on else "",
    ]


def export_xlsx(
    *, user: Staff, cases: Iterable[Case], total: int, filters: str, selected: bool
) -> bytes:
    """The cases as an XLSX workbook (cells through casework.exports: never a formula), with
    a second sheet saying who exported what, and when the list was cut at EXPORT_MAX_ROWS."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Cases")
    xlsx_append(sheet, export_headers())
    written = 0
    for case in cases:
        xlsx_append(sheet, export_row(user, case))
        written += 1
    about = book.create_sheet(_("About this export"))
    xlsx_append(about, [_("Exported by"), user.get_username()])
    xlsx_append(about, [_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    xlsx_append(about, [_("Cases"), _("selected cases") if selected else _("filtered list")])
    xlsx_append(about, [_("Filter"), filters])
    xlsx_append(about, [_("Rows"), written])
    if total > written:
        xlsx_append(about, [_("Note"), export_cut_notice(total)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_cut_notice(total: int) -> str:
    return _(
        "Only the first %(max)s of %(total)s cases were exported; narrow the filter to export "
        "the rest."
    ) % {"max": EXPORT_MAX_ROWS, "total": total}
