"""Template helpers for showing cases and their history in Chinese."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.choices import (
    CaseStatus,
    Channel,
    ConsultationOpinion,
    ConsultationParty,
    DeliveryMethod,
    Disposition,
    FeeMethod,
    RemedyKind,
    RemedyOutcome,
    Transition,
)
from casework.items import item_decisions_text
from casework.lifecycle import TRANSITIONS, display_name
from casework.lifecycle.actors import Person
from casework.lifecycle.release_gate import Arrangement
from casework.lifecycle.table import event_kind_label
from casework.models import Applicant, Case, Event
from casework.text import cn_date
from casework.validators import mask_email, mask_phone

if TYPE_CHECKING:
    from django.forms import BoundField

    from django_stubs_ext import StrOrPromise

register = template.Library()


def _labels() -> tuple[dict[str, StrOrPromise | None], frozenset[str]]:
    """Labels of every key an event may record, and the keys never shown: from the transition
    table's input forms (the same labels as the action forms)."""
    labels: dict[str, StrOrPromise | None] = {
        "kind": gettext_lazy("letter kind"),
        "clock_changes": gettext_lazy("Time limits changed"),
        "backdate_reason": gettext_lazy("Reason for recording it late"),
    }
    hidden: set[str] = set()
    for spec in TRANSITIONS.values():
        labels.update(spec.payload_labels())
        hidden |= spec.form.hidden
    return labels, frozenset(hidden)


PAYLOAD_LABELS, _FORM_HIDDEN = _labels()


def _kind_labels(kind: str) -> dict[str, StrOrPromise | None]:
    spec = TRANSITIONS.get(kind)
    return spec.payload_labels() if spec is not None else {}


# Technical keys the history never shows: the letter's kind key and checksum (its title and
# number are shown), the basis key (its citation is shown), the late-step marker (its reason
# and the case's warning are shown).
HIDDEN_KEYS = _FORM_HIDDEN | {"kind", "sha256", "basis_key", "late", "backdated", "from_status"}
VALUE_LABELS: dict[str, dict[str, StrOrPromise]] = {
    "disposition": dict(Disposition.choices),
    "party": dict(ConsultationParty.choices),
    "remedy": dict(RemedyKind.choices),
    "outcome": dict(RemedyOutcome.choices),
    "opinion": dict(ConsultationOpinion.choices),
    "arrangement": dict(Arrangement.choices),
}


def _field_label(name: str) -> str:
    """The verbose name of a case or applicant field named in a change record."""
    for model in (Case, Applicant):
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            continue
    return name


def _beijing(value: str) -> str:
    """An ISO timestamp of the ledger as Beijing time (the site's TIME_ZONE)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{cn_date(moment.date())} {moment:%H:%M}"


register.filter("cn_date", cn_date)  # casework.text: 2026年3月5日


@register.filter
def status_label(value: str) -> str:
    if not value:
        return "—"
    try:
        return str(CaseStatus(value).label)
    except ValueError:
        return value


@register.filter
def transition_label(value: str) -> str:
    return event_kind_label(value)


@register.filter
def event_details(event: Event, full_contact: bool = True) -> list[tuple[str, str]]:
    """(label, value) pairs of an event's payload, in Chinese, skipping empty and internal keys.
    With full_contact False, phone numbers and e-mail addresses in it are masked (issue 16:
    only the office and the case's divisions see them)."""

    def contact(name: str, value: object) -> object:
        if full_contact or not value or not isinstance(value, str):
            return value
        if name.endswith("phone"):
            return mask_phone(value)
        if name.endswith("email"):
            return mask_email(value)
        return value

    rows: list[tuple[str, str]] = []
    for key, value in (event.payload or {}).items():
        if key in HIDDEN_KEYS or value in (None, "", [], {}):
            continue
        if key == "method" and event.kind == Transition.NOTIFY_FEE:
            shown = str(dict(FeeMethod.choices).get(value, value))
        elif key == "method" and event.kind == Transition.RECORD_DELIVERY:
            shown = str(dict(DeliveryMethod.choices).get(value, value))
        elif key == "channel":
            shown = str(dict(Channel.choices).get(value, value))
        elif key in VALUE_LABELS:
            shown = str(VALUE_LABELS[key].get(value, value))
        elif key in ("changes", "clock_changes", "corrected") and isinstance(value, dict):
            shown = "；".join(
                _change(_field_label(name), contact(name, old), contact(name, new))
                for name, (old, new) in value.items()
            )
        elif key == "item_decisions" and isinstance(value, list):
            shown = item_decisions_text(value)
        elif isinstance(value, str) and key.endswith("_at") and len(value) >= 19:
            shown = _beijing(value)
        else:
            shown = plain_value(contact(key, value))
        # The event's own transition labels first: two forms may name a key alike ("items").
        label = _kind_labels(event.kind).get(key) or PAYLOAD_LABELS.get(key, key)
        rows.append((str(label), shown))
    return rows


def _change(label: str, old: object, new: object) -> str:
    """One changed value: "答复期限：2026年4月1日 → 2026年4月15日"; a value set for the first
    time (a first due date) is shown alone, never as "None → …" or "— → …"."""
    before, after = plain_value(old), plain_value(new) or "—"
    return f"{label}：{before} → {after}" if before else f"{label}：{after}"


def plain_value(value: object) -> str:
    """A recorded value in words (issue 24 point 5): 是/否 for a flag, 2026年3月5日 for an
    ISO date, a list joined with 、, a mapping as "label：value；…" (never Python's repr)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return cn_date(date.fromisoformat(value))
    if isinstance(value, str) and ISO_MOMENT.match(value):
        return _beijing(value)
    if isinstance(value, list | tuple):
        return "、".join(plain_value(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return "；".join(
            f"{PAYLOAD_LABELS.get(k) or _field_label(str(k))}：{plain_value(v)}"
            for k, v in value.items()
            if k not in HIDDEN_KEYS and v not in (None, "", [], {})
        )
    return str(value)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@register.filter
def event_actor(event: Event) -> str:
    """Who recorded an event: "王登记（登记员）"; the applicant and the system are named by
    their role alone (never "申请人（申请人）")."""
    name, role = (event.actor_name or "").strip(), (event.actor_role or "").strip()
    if not role or role == name:
        return name or role
    return f"{name}（{role}）"


@register.filter
def cn_moment(value: datetime | None) -> str:
    """A moment as 2026年3月5日 14:05 in Beijing time (no ISO in the page)."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{cn_date(value.date())} {value:%H:%M}"


@register.filter
def person_name(user: Person | None) -> str:
    return display_name(user) if user else "—"


@register.simple_tag
def provisional_mark(flag: bool) -> str:
    return _("(provisional)") if flag else ""


@register.simple_tag
def accessible_widget(field: BoundField) -> str:
    """The field's widget tied to its help text and errors (aria-describedby, aria-invalid)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.id_for_label}-help")
    attrs: dict[str, str | bool] = {}
    if field.errors:
        ids.insert(0, f"{field.id_for_label}-errors")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.field.required:
        attrs["required"] = "required"
    return str(field.as_widget(attrs=attrs))
