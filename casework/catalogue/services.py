"""Writes of the catalogue and the guide. Each one checks the actor's role first, then, in
one transaction with the row locked, changes the row and writes its history entry.

The interface other apps rely on (issue 26: the self-checks of `h26self` call it):
`catalogue_item_create`, `catalogue_item_submit`, `catalogue_item_approve` (publishes),
`catalogue_item_withdraw` (失效, the item stays listed with its history).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Literal, TypeAlias, TypedDict, Unpack

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.attachments import attachment_check, image_reencode, pdf_reencode
from casework.catalogue.guide import DEFAULT_SECTIONS, SECTION_KEYS, organ_facts
from casework.catalogue.models import (
    DEFAULT_CATEGORIES,
    CatalogueAttachment,
    CatalogueItem,
    Category,
    GuideStatus,
    GuideVersion,
    HistoryKind,
    ItemCited,
    ItemHistory,
    ItemShown,
    ItemStatus,
    SourceKind,
    Validity,
)
from casework.choices import Role
from casework.errors import InvalidInput, NotPermitted, WrongState
from casework.lifecycle.actors import Person, Staff
from casework.models import Case, Division, Organ
from casework.payloads import Payload
from casework.permissions import OFFICE_ROLES, user_division_ids, user_roles

HEAD_ROLES: frozenset[str] = frozenset({Role.OFFICE_HEAD})
EditableField: TypeAlias = Literal[
    "title", "doc_number", "division", "category", "body", "published_on"
]
EDITABLE_FIELDS: tuple[EditableField, ...] = (
    "title",
    "doc_number",
    "division",
    "category",
    "body",
    "published_on",
)


class ItemFields(TypedDict):
    """An item's editable fields, as the office's form gives them and the services store them."""

    title: str
    doc_number: str
    division: Division | None
    category: Category | None
    body: str
    published_on: datetime.date | None


class ItemChanges(ItemFields, total=False):
    """Some of an item's editable fields (an edit of a draft)."""


FieldValue: TypeAlias = "str | Division | Category | datetime.date | None"
Upload: TypeAlias = "File[bytes] | tuple[str, bytes]"
"""An attachment: an uploaded file, or a (name, bytes) pair (files copied from a case)."""


# --- Who may do what -------------------------------------------------------------------------


def _staff(actor: Person) -> None:
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", True):
        raise NotPermitted(_("Sign in to manage the catalogue."))


def editor_role(actor: Person, division: Division | None) -> str | None:
    """The role under which `actor` may write (create, edit, submit) an item of `division`:
    an office role, or a liaison officer of the item's issuing division."""
    roles = user_roles(actor)
    for role in sorted(roles & OFFICE_ROLES):
        return role
    if Role.LIAISON in roles and division is not None and division.pk in user_division_ids(actor):
        return str(Role.LIAISON)
    return None


def may_edit(actor: Person, division: Division | None) -> bool:
    return editor_role(actor, division) is not None


def may_approve(actor: Person) -> bool:
    """Publishing, returning, withdrawing and approving the guide: the head of the OGI office
    (Role.OFFICE_HEAD; the organ's head signs through the same role, casework/choices.py)."""
    return bool(user_roles(actor) & HEAD_ROLES)


def _editor(actor: Staff, division: Division | None) -> str:
    _staff(actor)
    role = editor_role(actor, division)
    if role is None:
        raise NotPermitted(
            _("Only the OGI office or a liaison officer of the issuing division may do this.")
        )
    return role


def _head(actor: Staff) -> str:
    _staff(actor)
    if not may_approve(actor):
        raise NotPermitted(_("Only the head of the OGI office may do this."))
    return str(Role.OFFICE_HEAD)


# --- Items -----------------------------------------------------------------------------------


def _clean_fields(
    *,
    organ: Organ,
    title: str,
    doc_number: str,
    division: Division | None,
    category: Category | None,
    body: str,
    published_on: datetime.date | None,
) -> ItemFields:
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("Enter the title of the item."), field="title")
    if len(title) > 200:
        raise InvalidInput(_("The title is too long (at most 200 characters)."), field="title")
    doc_number = (doc_number or "").strip()
    if len(doc_number) > 80:
        raise InvalidInput(_("The document number is too long."), field="doc_number")
    if division is not None and division.organ_id != organ.pk:
        raise InvalidInput(_("The division belongs to another organ."), field="division")
    if category is not None and not category.is_active:
        raise InvalidInput(_("This category is no longer in use."), field="category")
    return {
        "title": title,
        "doc_number": doc_number,
        "division": division,
        "category": category,
        "body": (body or "").strip(),
        "published_on": published_on,
    }


def _history(
    item: CatalogueItem,
    kind: str,
    actor: Staff,
    role: str,
    now: datetime.datetime,
    *,
    note: str = "",
    changes: Payload | None = None,
) -> None:
    ItemHistory.objects.create(
        item=item, kind=kind, actor=actor, role=role, at=now, note=note, changes=changes or {}
    )


def _as_upload(value: Upload) -> File[bytes]:
    """An attachment given as an uploaded file, or as a (name, bytes) pair."""
    if isinstance(value, tuple):
        name, data = value
        return ContentFile(bytes(data), name=str(name))
    return value


def _attach(item: CatalogueItem, uploads: Iterable[Upload], now: datetime.datetime) -> list[str]:
    """Check and store files on an item (the checks of every upload: content allow-list, PDFs
    rebuilt from their pages, images re-encoded). Returns the names stored."""
    names: list[str] = []
    start = item.attachments.count()
    for offset, raw in enumerate(uploads):
        uploaded = _as_upload(raw)
        name = str(uploaded.name)
        content_type = attachment_check(uploaded)
        if content_type.startswith("image/"):
            data = image_reencode(uploaded, content_type, name=name, field="attachments")
        else:
            data = pdf_reencode(uploaded, name=name, field="attachments")
        row = CatalogueAttachment(
            item=item,
            position=start + offset,
            original_name=name[:200],
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            added_at=now,
        )
        row.file.save("upload", ContentFile(data, name=name), save=False)
        row.save()
        names.append(name)
    return names


def catalogue_item_create(
    *,
    organ: Organ,
    actor: Staff,
    now: datetime.datetime,
    title: str,
    doc_number: str = "",
    division: Division | None = None,
    category: Category | None = None,
    body: str = "",
    published_on: datetime.date | None = None,
    source_kind: str = "manual",
    source_ref: str = "",
    attachments: Iterable[Upload] = (),
) -> CatalogueItem:
    """A new draft item with its first history entry (and its files, checked)."""
    role = _editor(actor, division)
    if source_kind not in SourceKind.values:
        raise InvalidInput(_("Unknown source of the item."), field="source_kind")
    fields = _clean_fields(
        organ=organ,
        title=title,
        doc_number=doc_number,
        division=division,
        category=category,
        body=body,
        published_on=published_on,
    )
    with transaction.atomic():
        item = CatalogueItem.objects.create(
            organ=organ,
            status=ItemStatus.DRAFT,
            source_kind=source_kind,
            source_ref=str(source_ref or "")[:100],
            created_by=actor,
            created_at=now,
            **fields,
        )
        files = _attach(item, attachments, now)
        _history(
            item,
            HistoryKind.CREATED,
            actor,
            role,
            now,
            changes={"source": [None, f"{source_kind}:{source_ref}" if source_ref else source_kind]}
            | ({"attachments": [None, files]} if files else {}),
        )
    return item


def _locked(item: CatalogueItem) -> CatalogueItem:
    return CatalogueItem.objects.select_for_update().get(pk=item.pk)


def _value(value: FieldValue) -> str | None:
    """A field's value as the history's JSON records it."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Division | Category):
        return str(value)
    return value


def catalogue_item_update(
    *,
    item: CatalogueItem,
    actor: Staff,
    now: datetime.datetime,
    attachments: Iterable[Upload] = (),
    **changes: Unpack[ItemChanges],
) -> CatalogueItem:
    """Edit a draft (or an item returned for revision). A published item is not edited in
    place: withdraw it and publish a new one, so what was public stays on record."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0])
    role = _editor(actor, item.division)
    with transaction.atomic():
        locked = _locked(item)
        if locked.status != ItemStatus.DRAFT:
            raise WrongState(_("Only a draft can be edited."))
        current = ItemFields(
            title=locked.title,
            doc_number=locked.doc_number,
            division=locked.division,
            category=locked.category,
            body=locked.body,
            published_on=locked.published_on,
        )
        merged: ItemFields = {**current, **changes}
        fields = _clean_fields(organ=locked.organ, **merged)
        if "division" in changes:
            _editor(actor, fields["division"])
        diff: Payload = {
            name: [_value(current[name]), _value(fields[name])]
            for name in EDITABLE_FIELDS
            if current[name] != fields[name]
        }
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        files = _attach(locked, attachments, now)
        if files:
            diff["attachments"] = [None, files]
        if diff:
            _history(locked, HistoryKind.EDITED, actor, role, now, changes=diff)
    return locked


def catalogue_item_submit(
    *, item: CatalogueItem, actor: Staff, now: datetime.datetime, note: str = ""
) -> CatalogueItem:
    """A draft goes to the head of the OGI office for approval."""
    role = _editor(actor, item.division)
    with transaction.atomic():
        locked = _locked(item)
        if locked.status != ItemStatus.DRAFT:
            raise WrongState(_("Only a draft can be submitted."))
        locked.status = ItemStatus.SUBMITTED
        locked.save(update_fields=["status"])
        _history(locked, HistoryKind.SUBMITTED, actor, role, now, note=note[:500])
    return locked


def catalogue_item_approve(
    *, item: CatalogueItem, actor: Staff, now: datetime.datetime, note: str = ""
) -> CatalogueItem:
    """The head approves and the item is published (a draft may be approved directly by the
    head). Without a date issued, the date of publication is used."""
    role = _head(actor)
    with transaction.atomic():
        locked = _locked(item)
        if locked.status not in (ItemStatus.DRAFT, ItemStatus.SUBMITTED):
            raise WrongState(_("This item is already published."))
        if locked.category_id is None:
            raise InvalidInput(_("Choose a category before publishing."), field="category")
        locked.status = ItemStatus.PUBLISHED
        locked.validity = Validity.VALID
        locked.published_at = now
        locked.approved_by = actor
        if locked.published_on is None:
            locked.published_on = _local_date(now)
        locked.save(
            update_fields=["status", "validity", "published_at", "approved_by", "published_on"]
        )
        _history(
            locked,
            HistoryKind.PUBLISHED,
            actor,
            role,
            now,
            note=note[:500],
            changes={"status": [item.status, ItemStatus.PUBLISHED]},
        )
    return locked


def catalogue_item_return(
    *, item: CatalogueItem, actor: Staff, now: datetime.datetime, reason: str
) -> CatalogueItem:
    """The head sends a submitted item back to draft with a reason."""
    role = _head(actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for returning the item."), field="reason")
    with transaction.atomic():
        locked = _locked(item)
        if locked.status != ItemStatus.SUBMITTED:
            raise WrongState(_("Only an item awaiting approval can be returned."))
        locked.status = ItemStatus.DRAFT
        locked.save(update_fields=["status"])
        _history(locked, HistoryKind.RETURNED, actor, role, now, note=reason[:500])
    return locked


def catalogue_item_withdraw(
    *, item: CatalogueItem, actor: Staff, now: datetime.datetime, reason: str
) -> CatalogueItem:
    """A published item is marked 失效 (no longer in force): it stays listed and readable,
    with its history, so replies that pointed to it keep their address."""
    role = _head(actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the withdrawal."), field="reason")
    with transaction.atomic():
        locked = _locked(item)
        if locked.status != ItemStatus.PUBLISHED or locked.validity != Validity.VALID:
            raise WrongState(_("Only a published item in force can be withdrawn."))
        locked.validity = Validity.INVALID
        locked.withdrawn_at = now
        locked.withdraw_reason = reason[:300]
        locked.save(update_fields=["validity", "withdrawn_at", "withdraw_reason"])
        _history(
            locked,
            HistoryKind.WITHDRAWN,
            actor,
            role,
            now,
            note=reason[:500],
            changes={"validity": [Validity.VALID, Validity.INVALID]},
        )
    return locked


def _local_date(now: datetime.datetime) -> datetime.date:
    return timezone.localdate(now) if timezone.is_aware(now) else now.date()


# --- What cases did with the catalogue -------------------------------------------------------


def catalogue_shown_record(
    *, case: Case, item_ids: Iterable[int], now: datetime.datetime
) -> list[ItemShown]:
    """Record on a new case the items the portal showed while the subject was typed (called
    in the transaction that records the application). Ids that are not published items of
    the case's organ are ignored (they came from the browser)."""
    wanted = {int(i) for i in item_ids if str(i).isdigit()}
    if not wanted:
        return []
    items = CatalogueItem.objects.filter(
        pk__in=sorted(wanted)[:20], organ_id=case.organ_id, status=ItemStatus.PUBLISHED
    )
    rows = [ItemShown(case=case, item=item, shown_at=now) for item in items]
    return ItemShown.objects.bulk_create(rows, ignore_conflicts=True)


def catalogue_cite(
    *, case: Case, item: CatalogueItem, use: str, now: datetime.datetime
) -> ItemCited:
    """Record that a case's reply pointed to an item (Art 36(1)) or that an item was made from
    the case's released records. Called inside the transaction of that step."""
    if use not in ItemCited.Use.values:
        raise InvalidInput(_("Unknown use of a catalogue item."))
    row, _created = ItemCited.objects.get_or_create(
        case=case, item=item, use=use, defaults={"at": now}
    )
    return row


# --- The guide -------------------------------------------------------------------------------


def guide_draft_create(
    *,
    organ: Organ,
    actor: Staff,
    now: datetime.datetime,
    sections: dict[str, str] | None = None,
    note: str = "",
) -> GuideVersion:
    """A new draft version, starting from the given text or the current version's (or the
    default text). One draft at a time per organ."""
    role = _editor(actor, None)
    del role  # recorded by the version's own fields
    with transaction.atomic():
        Organ.objects.select_for_update().get(pk=organ.pk)
        versions = GuideVersion.objects.filter(organ=organ)
        if versions.exclude(status=GuideStatus.APPROVED).exists():
            raise WrongState(_("A draft of the guide already exists; edit that one."))
        latest = versions.order_by("-number").first()
        base = dict(latest.sections) if latest else dict(DEFAULT_SECTIONS)
        text = {key: str((sections or base).get(key, base.get(key, ""))) for key in SECTION_KEYS}
        return GuideVersion.objects.create(
            organ=organ,
            number=(latest.number + 1) if latest else 1,
            sections=text,
            note=note[:300],
            created_by=actor,
            created_at=now,
        )


def guide_draft_update(
    *, version: GuideVersion, actor: Staff, sections: dict[str, str], note: str = ""
) -> GuideVersion:
    _editor(actor, None)
    with transaction.atomic():
        locked = GuideVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != GuideStatus.DRAFT:
            raise WrongState(_("Only a draft of the guide can be edited."))
        locked.sections = {key: str(sections.get(key, "")).strip() for key in SECTION_KEYS}
        locked.note = note[:300]
        locked.save(update_fields=["sections", "note"])
    return locked


def guide_submit(*, version: GuideVersion, actor: Staff, now: datetime.datetime) -> GuideVersion:
    _editor(actor, None)
    with transaction.atomic():
        locked = GuideVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != GuideStatus.DRAFT:
            raise WrongState(_("Only a draft of the guide can be submitted."))
        locked.status = GuideStatus.SUBMITTED
        locked.submitted_at = now
        locked.save(update_fields=["status", "submitted_at"])
    return locked


def guide_return(*, version: GuideVersion, actor: Staff) -> GuideVersion:
    _head(actor)
    with transaction.atomic():
        locked = GuideVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != GuideStatus.SUBMITTED:
            raise WrongState(_("Only a guide awaiting approval can be returned."))
        locked.status = GuideStatus.DRAFT
        locked.save(update_fields=["status"])
    return locked


def guide_approve(*, version: GuideVersion, actor: Staff, now: datetime.datetime) -> GuideVersion:
    """The head approves: the version becomes the portal's guide, dated (更新日期), with the
    organ's data as it stands frozen into it; the earlier versions stay readable."""
    _head(actor)
    with transaction.atomic():
        locked = GuideVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status not in (GuideStatus.DRAFT, GuideStatus.SUBMITTED):
            raise WrongState(_("This version is already approved."))
        locked.status = GuideStatus.APPROVED
        locked.approved_by = actor
        locked.approved_at = now
        locked.updated_on = _local_date(now)
        locked.organ_facts = organ_facts(locked.organ)
        locked.save(
            update_fields=["status", "approved_by", "approved_at", "updated_on", "organ_facts"]
        )
    return locked


def categories_ensure() -> None:
    """The default categories where they are missing (a database flushed by a transactional
    test, or restored without them); migration 0002 seeds the same list."""
    for position, name in enumerate(DEFAULT_CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"position": position * 10})


def catalogue_cited_from_decision(*, case: Case, payload: Payload, now: datetime.datetime) -> None:
    """The catalogue items a decision points to (Art 36(1)), for the whole request or per
    item, recorded on the case in the decision's transaction (called by the lifecycle's
    `_decide`). A later decision replaces the earlier one's record: the event keeps both."""
    wanted = {payload.get("catalogue_item")} | {
        entry.get("catalogue_item") for entry in payload.get("item_decisions") or ()
    }
    ids = {int(pk) for pk in wanted if pk}
    cited = ItemCited.objects.filter(case=case, use=ItemCited.Use.ALREADY_PUBLIC)
    cited.exclude(item_id__in=ids).delete()
    for item in CatalogueItem.objects.filter(pk__in=ids, organ_id=case.organ_id):
        catalogue_cite(case=case, item=item, use=ItemCited.Use.ALREADY_PUBLIC, now=now)
