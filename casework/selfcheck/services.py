"""Writes of the self-check (自查): open a campaign, conclude an item (the division's liaison
officer), approve or return it (the head of the OGI office), urge it, close the campaign, and
the reminders before the deadline.

Every write checks the actor's role first, then locks the row it changes (select_for_update)
and writes one append-only Audit row in the same transaction. `now` is passed in. Deadlines
are working days on the organ's calendar (casework.workdays through casework.selectors); the
e-mails go through casework.notifications (queued in the transaction, sent after commit,
once per key)."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.catalogue import services as catalogue
from casework.catalogue.models import Category
from casework.choices import Role
from casework.clock import format_date
from casework.errors import InvalidInput, NotPermitted, NotVisible, WrongState
from casework.lifecycle.actors import Person, Staff
from casework.models import Division, Organ
from casework.notifications import notify_template
from casework.permissions import division_members, user_division_ids, user_roles
from casework.selectors import working_calendar
from casework.selfcheck.models import Audit, Campaign, Conclusion, GroundCheck, Item, Kind
from casework.selfcheck.selectors import (
    Candidate,
    is_head,
    is_office,
    open_campaigns_forget,
    topics_to_check,
    withheld_in_force,
)

DEFAULT_WORKING_DAYS = 20


def _audit(
    campaign: Campaign,
    item: Item | None,
    action: str,
    actor: Staff | None,
    now: datetime,
    **payload: object,
) -> Audit:
    return Audit.objects.create(
        campaign=campaign,
        item=item,
        action=action,
        actor=actor,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "系统",
        at=now,
        payload=payload,
    )


def _liaison_emails(division_id: int | None) -> list[str]:
    if division_id is None:
        return []
    division = Division.objects.filter(pk=division_id).first()
    if division is None:
        return []
    return list(
        division_members(division)
        .filter(groups__name=Role.LIAISON)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _head_emails() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(groups__name=Role.OFFICE_HEAD, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


@transaction.atomic
def campaign_open(
    *,
    organ: Organ,
    actor: Staff,
    now: datetime,
    title: str,
    period_start: date,
    period_end: date,
    working_days: int | None = None,
) -> Campaign:
    """The office opens a self-check for a period: every withheld decision and withheld part
    replied in the period and still in force, and the case library's popular topics as of
    the period's end, each an item in its division's queue, due after `working_days`
    working days."""
    if not user_roles(actor) & {Role.REVIEWER, Role.OFFICE_HEAD}:
        raise NotPermitted(_("Only the OGI office's reviewers and head open a self-check."))
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("Give the self-check a title."), field="title")
    if period_end < period_start:
        raise InvalidInput(_("The period ends before it begins."), field="period_end")
    default: int = getattr(settings, "SELFCHECK_WORKING_DAYS", DEFAULT_WORKING_DAYS)
    days = working_days or default
    if not 1 <= days <= 120:
        raise InvalidInput(_("Between 1 and 120 working days."), field="working_days")
    Organ.objects.select_for_update().get(pk=organ.pk)  # one campaign opening at a time
    open_campaigns_forget()
    today = timezone.localdate(now)
    due = working_calendar().add_working_days(today, days)
    campaign = Campaign.objects.create(
        organ=organ,
        title=title[:200],
        period_start=period_start,
        period_end=period_end,
        opened_on=today,
        due_on=due,
        working_days=days,
        opened_by=actor,
    )
    candidates: list[Candidate] = [
        *withheld_in_force(organ, period_start, period_end),
        *topics_to_check(organ, min(period_end, today)),
    ]
    Item.objects.bulk_create(
        Item(
            campaign=campaign,
            kind=c.kind,
            source_key=c.source_key,
            case=c.case,
            position=c.position,
            division_id=c.division_id,
            title=c.title[:500],
            ground=c.ground[:300],
            withheld=c.withheld,
            reasons_then=c.reasons_then,
            decided_on=c.decided_on,
            topic_cases=c.topic_cases,
            applicants=c.applicants,
            due_on=due,
        )
        for c in candidates
    )
    counts = {k.value: sum(1 for c in candidates if c.kind == k) for k in Kind}
    _audit(
        campaign,
        None,
        "opened",
        actor,
        now,
        period_start=period_start.isoformat(),
        period_end=period_end.isoformat(),
        due_on=due.isoformat(),
        counts=counts,
    )
    for division_id in sorted({c.division_id for c in candidates if c.division_id}):
        n = sum(1 for c in candidates if c.division_id == division_id)
        notify_template(
            key=f"selfcheck:opened:{campaign.pk}:{division_id}",
            to=_liaison_emails(division_id),
            template="selfcheck_opened",
            context={"campaign": campaign, "count": n, "due": format_date(due)},
        )
    return campaign


def _locked_item(item_id: int) -> Item:
    item = (
        Item.objects.select_for_update(of=("self",))
        .select_related("campaign", "division", "case")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise NotVisible(_("No such self-check item."))
    if item.campaign.status != Campaign.Status.OPEN:
        raise WrongState(_("The self-check is closed."))
    return item


def may_conclude(user: Person, item: Item) -> bool:
    """The liaison officers of the item's division; the office for an item of no division."""
    if item.division_id is None:
        return is_office(user)
    return Role.LIAISON in user_roles(user) and item.division_id in user_division_ids(user)


@transaction.atomic
def item_conclude(
    *,
    item_id: int,
    actor: Staff,
    now: datetime,
    conclusion: str,
    ground_check: str = "",
    reasons: str,
) -> Item:
    """The division's conclusion: keep withheld (the ground re-checked and still holding,
    with reasons), disclose now, or convert to proactive disclosure (Art 44)."""
    probe = Item.objects.filter(pk=item_id).only("division_id").first()
    if probe is None:
        raise NotVisible(_("No such self-check item."))
    if not may_conclude(actor, probe):
        raise NotPermitted(_("Only the liaison officers of the item's division conclude it."))
    item = _locked_item(item_id)
    if item.status not in (Item.Status.PENDING, Item.Status.RETURNED):
        raise WrongState(_("This item is already concluded."))
    if conclusion not in Conclusion.values:
        raise InvalidInput(_("Choose a conclusion."), field="conclusion")
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput(_("Give the reasons for the conclusion."), field="reasons")
    if item.is_withheld:
        if ground_check not in GroundCheck.values or ground_check == GroundCheck.NOT_APPLICABLE:
            raise InvalidInput(_("Say whether the ground still holds."), field="ground_check")
        if conclusion == Conclusion.KEEP_WITHHELD and ground_check != GroundCheck.STILL_HOLDS:
            raise InvalidInput(
                _("The information stays withheld only while its ground still holds."),
                field="ground_check",
            )
        if conclusion != Conclusion.KEEP_WITHHELD and ground_check == GroundCheck.STILL_HOLDS:
            raise InvalidInput(
                _("Say how the ground has changed before the information is disclosed."),
                field="ground_check",
            )
    else:
        ground_check = GroundCheck.NOT_APPLICABLE
    item.conclusion, item.ground_check, item.reasons = conclusion, ground_check, reasons[:2000]
    item.status = Item.Status.CONCLUDED
    item.concluded_by, item.concluded_on = actor, timezone.localdate(now)
    item.save()
    audit = _audit(
        item.campaign,
        item,
        "concluded",
        actor,
        now,
        conclusion=conclusion,
        ground_check=ground_check,
        reasons=item.reasons,
    )
    notify_template(
        key=f"selfcheck:concluded:{item.pk}:{audit.pk}",
        to=_head_emails(),
        template="selfcheck_concluded",
        context={"item": item, "conclusion": item.get_conclusion_display()},
    )
    return item


@transaction.atomic
def item_return(*, item_id: int, actor: Staff, now: datetime, reason: str) -> Item:
    """The head sends a conclusion back to the division with the reason."""
    if not is_head(actor):
        raise NotPermitted(_("Only the head of the OGI office approves or returns conclusions."))
    item = _locked_item(item_id)
    if item.status != Item.Status.CONCLUDED:
        raise WrongState(_("Only a conclusion awaiting approval can be returned."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say what must be reconsidered."), field="reason")
    item.status = Item.Status.RETURNED
    item.save(update_fields=["status"])
    _audit(item.campaign, item, "returned", actor, now, reason=reason[:1000])
    return item


def _catalogue_body(item: Item) -> str:
    lines = [item.title]
    if item.case is not None and item.kind != Kind.POPULAR_TOPIC:
        lines.append(f"原依申请公开答复：{item.case.number}（{item.ground}）")
    if item.topic_cases:
        lines.append(f"依申请公开较为集中的信息（{item.applicants}位申请人）")
    lines.append(f"自查结论：{item.get_conclusion_display()}。{item.reasons}")
    return "\n".join(lines)


def _to_catalogue(item: Item, actor: Staff, now: datetime, category: Category) -> int:
    """Publish the conclusion in the proactive-disclosure catalogue through the catalogue's
    own services (casework.catalogue): the item is created with its source (`selfcheck` or
    `popular_topic`, the self-check item's id) and published by the head's approval, which
    is the approval the catalogue asks for (Role.OFFICE_HEAD there too)."""
    made = catalogue.catalogue_item_create(
        organ=item.campaign.organ,
        actor=actor,
        now=now,
        title=item.title[:200],
        division=item.division,
        category=category,
        body=_catalogue_body(item),
        published_on=timezone.localdate(now),
        source_kind="popular_topic" if item.kind == Kind.POPULAR_TOPIC else "selfcheck",
        source_ref=str(item.pk),
    )
    catalogue.catalogue_item_approve(
        item=made,
        actor=actor,
        now=now,
        note=_("Approved in the self-check %(title)s.") % {"title": item.campaign.title},
    )
    return int(made.pk)


DISCLOSING = (Conclusion.DISCLOSE_NOW, Conclusion.CONVERT_PROACTIVE)


@transaction.atomic
def item_approve(
    *, item_id: int, actor: Staff, now: datetime, note: str = "", category: Category | None = None
) -> Item:
    """The head approves the conclusion. One that discloses (disclose now, convert to
    proactive disclosure) is published at once as a catalogue item under `category`."""
    if not is_head(actor):
        raise NotPermitted(_("Only the head of the OGI office approves or returns conclusions."))
    item = _locked_item(item_id)
    if item.status != Item.Status.CONCLUDED:
        raise WrongState(_("Only a conclusion awaiting approval can be approved."))
    item.status = Item.Status.APPROVED
    item.approved_by, item.approved_on = actor, timezone.localdate(now)
    if item.conclusion in DISCLOSING:
        if category is None:
            raise InvalidInput(_("Choose the catalogue's category."), field="category")
        item.catalogue_item_id = _to_catalogue(item, actor, now, category)
    item.save()
    _audit(
        item.campaign,
        item,
        "approved",
        actor,
        now,
        conclusion=item.conclusion,
        note=(note or "").strip()[:1000],
        catalogue_item=item.catalogue_item_id,
    )
    return item


@transaction.atomic
def item_urge(*, item_id: int, actor: Staff, now: datetime, message: str = "") -> Item:
    """The office or the supervising office urges the division (催办), as for a case."""
    if not (is_office(actor) or Role.SUPERVISOR in user_roles(actor)):
        raise NotPermitted(_("Only the OGI office and the supervising office urge."))
    item = _locked_item(item_id)
    if item.status not in (Item.Status.PENDING, Item.Status.RETURNED):
        raise WrongState(_("Only an item awaiting the division's conclusion can be urged."))
    item.urges += 1
    item.save(update_fields=["urges"])
    text = (message or "").strip()[:500] or _("Please conclude this self-check item.")
    _audit(item.campaign, item, "urged", actor, now, message=text, count=item.urges)
    notify_template(
        key=f"selfcheck:urge:{item.pk}:{item.urges}",
        to=_liaison_emails(item.division_id),
        template="selfcheck_urge",
        context={"item": item, "message": text, "due": format_date(item.due_on)},
    )
    return item


@transaction.atomic
def campaign_close(*, campaign_id: int, actor: Staff, now: datetime) -> Campaign:
    """The head closes a campaign whose every item is approved."""
    if not is_head(actor):
        raise NotPermitted(_("Only the head of the OGI office closes a self-check."))
    campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None:
        raise NotVisible(_("No such self-check."))
    if campaign.status != Campaign.Status.OPEN:
        raise WrongState(_("The self-check is closed."))
    waiting = campaign.items.exclude(status=Item.Status.APPROVED).count()
    if waiting:
        raise WrongState(
            _("%(n)s items are not approved yet: the self-check cannot be closed.") % {"n": waiting}
        )
    campaign.status = Campaign.Status.CLOSED
    open_campaigns_forget()
    campaign.closed_on = timezone.localdate(now)
    campaign.save(update_fields=["status", "closed_on"])
    _audit(campaign, None, "closed", actor, now)
    return campaign


def selfcheck_reminders_send(*, now: datetime, today: date | None = None) -> int:
    """Remind a division's liaison officers when an item still waiting for its conclusion is
    due in exactly settings.REMINDER_WORKING_DAYS working days (as for cases), once per item,
    due date and mark; and on each working day once it is overdue. Returns how many."""
    today = today or timezone.localdate(now)
    calendar = working_calendar()
    marks = sorted({int(x) for x in settings.REMINDER_WORKING_DAYS})
    targets = {calendar.add_working_days(today, n): n for n in marks}
    waiting = Item.objects.filter(
        campaign__status=Campaign.Status.OPEN,
        status__in=[Item.Status.PENDING, Item.Status.RETURNED],
    ).select_related("campaign")
    count = 0
    for item in waiting.filter(due_on__in=list(targets)):
        made = notify_template(
            key=f"selfcheck:remind:{item.pk}:{item.due_on}:{targets[item.due_on]}",
            to=_liaison_emails(item.division_id),
            template="selfcheck_reminder",
            context={"item": item, "days": targets[item.due_on], "due": format_date(item.due_on)},
        )
        count += made is not None
    if calendar.is_working_day(today):
        for item in waiting.filter(due_on__lt=today):
            made = notify_template(
                key=f"selfcheck:overdue:{item.pk}:{today}",
                to=_liaison_emails(item.division_id),
                template="selfcheck_reminder",
                context={"item": item, "days": 0, "due": format_date(item.due_on)},
            )
            count += made is not None
    return count
