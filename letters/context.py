"""The frozen data of a letter: plain JSON-safe values, so a reprint years later is identical.
Builds on the case, its events and the organ; reads the clock for due dates."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from casework.choices import Channel, ConsultationParty, DeliveryMethod, ProvisionForm
from casework.choices import Transition as T
from casework.decision_rules import case_events
from casework.errors import InvalidInput, WrongState
from casework.fees import _page_rate, _piece_rate
from casework.models import Case, Event
from casework.payloads import Payload, TemplateContext
from casework.text import cn_date
from letters.facts import check_letter_facts, decision_facts
from letters.items import item_by_item_context
from letters.kinds import DEFAULT_BASIS, REFUSAL_GROUNDS, Kind
from letters.models import LetterSettings
from letters.prose import set_officer_texts
from letters.provision import provision_context
from letters.records.selectors import letter_records_context
from letters.registry import DOCUMENTS  # the one reading of Kind.needs (issue 23)

cn = cn_date  # 2026年3月5日 (casework.text)


def _last(case: Case, kind: str) -> Event | None:
    return case.events.filter(kind=kind).order_by("-seq").first()


def _latest(case: Case, kind: str) -> Event:
    """The latest event of `kind`, which the letter's step has recorded (Event.DoesNotExist
    if not)."""
    return case.events.filter(kind=kind).latest("seq")


def _step_event(case: Case, kinds: tuple[str, ...]) -> Event | None:
    """The latest event of `kinds` (None when there is none, or no kinds)."""
    if not kinds:
        return None
    return case.events.filter(kind__in=kinds).order_by("-seq").first()


def check_organ(case: Case) -> None:
    """A letter names the organ, its address and, in the remedy clause, the reconsideration organ."""
    organ = case.organ
    missing = [
        label
        for value, label in [
            (organ.address, _("postal address")),
            (organ.reconsideration_organ, _("reconsideration organ")),
            (organ.phone, _("phone")),
        ]
        if not value
    ]
    if missing:
        raise InvalidInput(
            _(
                "The organ's settings are incomplete: %(fields)s. An administrator fills them in first."
            )
            % {"fields": "、".join(str(m) for m in missing)}
        )


def event_kinds(case: Case) -> set[str]:
    return set(case.events.values_list("kind", flat=True).distinct())


def check_fits(case: Case, kind: Kind, *, kinds: set[str] | None = None) -> None:
    """Refuse a kind that does not fit the case's state or disposition (before numbering).
    `kinds` (the case's event kinds) may be passed when checking several letter kinds."""
    if kinds is None:
        kinds = event_kinds(case)
    documents = DOCUMENTS[kind.needs]
    fits = documents.fits(case, kinds, kind)
    if fits and kind.needs == "fee":
        row = letter_settings(case)
        missing = [
            str(label)
            for key, label in [
                ("fee_how", _("how fees are paid")),
                ("fee_payee", _("fee payee")),
                ("fee_account", _("fee account")),
            ]
            if not getattr(row, key, "")
        ]
        if missing:
            # 109号: the fee notice states how and where to pay.
            raise InvalidInput(
                _(
                    "The organ's settings are incomplete: %(fields)s. An administrator fills them in first."
                )
                % {"fields": "、".join(missing)}
            )
    if not fits:
        raise WrongState(
            _("This letter does not fit the case: %(reason)s.") % {"reason": documents.refusal}
        )
    check_letter_facts(case, kind.key, kinds)  # what the wording states is in the ledger


def build_letter_context(
    *, case: Case, kind: Kind, number: str, issued_on: date, consultation_id: str | None = None
) -> Payload:
    organ = case.organ
    applicant = case.applicant
    agent = case.agent
    context: TemplateContext = {
        "kind": kind.key,
        "title": kind.title,
        "number": number,
        "organ_name": organ.name,
        "organ_address": organ.address,
        "organ_postal_code": organ.postal_code,
        "organ_phone": organ.phone,
        "case_number": case.number,
        "subject": case.subject,
        "channel": str(Channel(case.channel).label),
        "channel_phrase": CHANNEL_PHRASES.get(case.channel, "提出的"),
        "received_on": case.received_on.isoformat() if case.received_on else None,
        "received_on_cn": cn(case.received_on),
        "reply_due_on": case.reply_due_on.isoformat() if case.reply_due_on else None,
        "reply_due_on_cn": cn(case.reply_due_on),
        "provisional": case.dates_provisional,
        "provision_form": str(ProvisionForm(case.provision_form).label)
        if case.provision_form
        else "",
        "delivery_method": str(DeliveryMethod(case.delivery_method).label)
        if case.delivery_method
        else "",
        "via_agent": agent is not None,
        "agent_name": agent.name if agent else "",
        "issued_on": issued_on.isoformat(),
        "issued_on_cn": cn(issued_on),
        "remedy": kind.remedy,
        "reconsideration_organ": organ.reconsideration_organ,
        "court": organ.court,
        "contact_person": getattr(letter_settings(case), "contact_person", "") or "",
        "contact_office": organ.office_name,
    }
    # The step the letter documents (its Documents.step_events in letters.registry; the
    # receipt for the acknowledgement): every wording may state what happened and when, and
    # the reason recorded with it, so a new kind's wording needs no code here.
    step = _step_event(case, DOCUMENTS[kind.needs].step_events)
    context["step"] = step.kind if step is not None else kind.needs
    step_on = step.on if step is not None else case.received_on
    context["step_on"] = step_on.isoformat() if step_on else None
    context["step_on_cn"] = cn(step_on)
    context["step_reason"] = str(step.payload.get("reason", "")) if step is not None else ""
    # The addressee: the applicant, care of the agent (委托代理人) when there is one.
    if kind.to == "applicant":
        context["addressee"] = applicant.name + (f"（委托代理人：{agent.name}）" if agent else "")
    else:
        opened = _consultation(case, consultation_id)
        context["addressee"] = opened.get("party_name", "")
    if kind.key == "correction":
        event = _latest(case, T.REQUEST_CORRECTION)
        context["correction_items"] = event.payload.get("items", "")
        context["correction_deadline_cn"] = cn(date.fromisoformat(event.payload["deadline_on"]))
    if kind.key == "extension":
        extended = _last(case, T.EXTEND)
        context["extension_days"] = (
            extended.payload.get("days") if extended else case.extension_days
        )
        context["extension_reason"] = extended.payload.get("reason", "") if extended else ""
    if kind.needs == "consultation":
        opened = _consultation(case, consultation_id)
        from casework.selectors import working_calendar

        # Art 32/34: the consulted party answers within 15 working days of *receiving* the
        # letter. A date counted from sending would be earlier than its legal deadline, so the
        # letter states the period from receipt, and a date only once the receipt is recorded
        # (record_consultation_delivery): that day + 15 working days.
        received = _consultation_received_on(case, opened.get("consultation_id"))
        context["consultation_received_on"] = received.isoformat() if received else None
        context["consultation_due_on_cn"] = (
            cn(working_calendar().add_working_days(received, 15)) if received else ""
        )
        context["consultation_matter"] = opened.get("matter") or case.subject
        context["consultation_party_kind"] = str(
            ConsultationParty(opened.get("party", "third_party")).label
        ).split("（")[0]
    if kind.key == "fee_notice":
        event = _latest(case, T.NOTIFY_FEE)
        context["fee_method"] = "按件" if event.payload.get("method") == "per_piece" else "按量"
        context["fee_quantity"] = (
            f"{event.payload.get('quantity')}{'件' if event.payload.get('method') == 'per_piece' else '页'}"
        )
        context["fee_amount"] = event.payload.get("amount")
        context["fee_breakdown"] = fee_breakdown(
            event.payload.get("method", ""),
            int(event.payload.get("quantity") or 0),
            int(event.payload.get("earlier_in_month") or 0),
        )
        context["fee_due_on_cn"] = (
            cn(case.fee_due_on)
            if getattr(case, "fee_due_on", None)
            else "收到本通知书次日起20个工作日"
        )
        settings_row = letter_settings(case)
        for key in ("fee_how", "fee_payee", "fee_bank", "fee_account"):
            context[key] = getattr(settings_row, key, "") if settings_row else ""
    if kind.needs == "decision":
        disposition = case.disposition
        proposal = (
            case.events.filter(kind__in=[T.PROPOSE, T.REPLY_ON_THE_SPOT]).order_by("-seq").first()
        )
        payload = proposal.payload if proposal else {}
        context.update(
            {
                "disposition": disposition,
                "basis": case.disposition_basis or DEFAULT_BASIS.get(disposition, ""),
                "reasons": payload.get("reasons", ""),
                "withheld": payload.get("withheld", ""),
                "files": payload.get("files", ""),
                "where_published": payload.get("where_published", ""),
                "responsible_organ": payload.get("responsible_organ", ""),
                "responsible_contact": payload.get("responsible_contact", ""),
                "refusal_ground": REFUSAL_GROUNDS.get(disposition, ""),
                # Art 36(7) directs the applicant to the special access procedure: it is not a
                # decision not to disclose, so no reconsideration-first clause (行政复议法 Art 23).
                "refused": disposition.startswith("refused.")
                and disposition != "refused.administrative_inquiry",
            }
        )
        # What is provided: the approved set's 附件 list, an arranged inspection or posting.
        context.update(provision_context(case, disposition, payload))
        context.update(item_by_item_context(case, context, payload))  # several items (issue 21)
        context.update(decision_facts(case_events(case), payload))  # dates and numbers stated
    return set_officer_texts(context)  # officers' text as sentences or clauses


# How the application reached the organ, as a phrase of the letter's first sentence (the
# channel's screen label is not prose: "通过挂号信/EMS（需签收）提出的" reads badly).
CHANNEL_PHRASES: dict[str, str] = {
    Channel.IN_PERSON: "当面提出的",
    Channel.ORAL: "口头提出的",
    Channel.REGISTERED_POST: "以挂号信（EMS）邮寄提出的",
    Channel.ORDINARY_LETTER: "以信函邮寄提出的",
    Channel.ONLINE: "通过互联网在线提出的",
    Channel.EMAIL: "通过电子邮件提出的",
    Channel.FAX: "通过传真提出的",
}


def letter_settings(case: Case) -> LetterSettings | None:
    return LetterSettings.objects.filter(organ_id=case.organ_id).first()


def fee_breakdown(method: str, quantity: int, earlier: int = 0) -> str:
    """The rate and quantity of each band (国办函〔2020〕109号 Art 4–5), e.g.
    "其中1至30页免费，31至100页70页每页10元计700元，101至150页50页每页20元计1000元"."""

    rate = _piece_rate if method == "per_piece" else _page_rate
    unit = "件" if method == "per_piece" else "页"
    bands: list[tuple[int, int, int]] = []  # first, last, rate
    for n in range(earlier + 1, earlier + quantity + 1):
        r = rate(n)
        if bands and bands[-1][2] == r:
            bands[-1] = (bands[-1][0], n, r)
        else:
            bands.append((n, n, r))
    parts = []
    for first, last, r in bands:
        span = f"第{first}至{last}{unit}" if first != last else f"第{first}{unit}"
        count = last - first + 1
        parts.append(
            f"{span}免费" if r == 0 else f"{span}{count}{unit}每{unit}{r}元计{count * r}元"
        )
    prefix = f"（本月此前已申请{earlier}{unit}）" if earlier else ""
    return f"共{quantity}{unit}{prefix}，" + "，".join(parts)


def _consultation(case: Case, consultation_id: str | None) -> Payload:
    events = case.events.filter(kind=T.OPEN_CONSULTATION).order_by("-seq")
    for event in events:
        if consultation_id is None or event.payload.get("consultation_id") == consultation_id:
            return dict(event.payload)
    return {}


def _consultation_received_on(case: Case, consultation_id: str | None) -> date | None:
    """The day the consulted party received the letter, once recorded (Art 32)."""
    if not consultation_id or case.pk is None:
        return None  # a sample letter (letters.sample) has no ledger
    event = (
        case.events.filter(
            kind="record_consultation_delivery", payload__consultation_id=consultation_id
        )
        .order_by("-seq")
        .first()
    )
    return event.on if event is not None else None


def records_context(case: object) -> TemplateContext:
    """The 附件 list and the statement of the withheld parts with their grounds, taken from
    the case's approved release set (letters.records) when there is one (Art 37)."""

    if not isinstance(case, Case) or case.pk is None:
        return {}  # a sample letter (letters.sample) has no records
    return letter_records_context(case)
