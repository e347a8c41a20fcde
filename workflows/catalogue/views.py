"""The office's pages for the catalogue and the guide: list, new item, item with its history
and actions (submit, approve, return, withdraw), an item in one step from a case's approved
release set, and the guide's drafts and versions. Thin: access check, one service, respond."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from casework.catalogue import services
from casework.catalogue.guide import ORGAN_FIELDS, SECTIONS, organ_facts, paragraphs
from casework.catalogue.models import (
    CatalogueItem,
    Category,
    GuideVersion,
    ItemHistory,
    ItemStatus,
    SourceKind,
    Validity,
)
from casework.catalogue.selectors import guide_draft, office_items
from casework.catalogue.services import ItemFields
from casework.errors import CaseworkError, NotVisible
from casework.lifecycle.actors import Person, staff_user
from casework.models import Organ
from casework.payloads import FormData
from casework.permissions import OFFICE_ROLES, user_division_ids, user_roles
from casework.selectors import case_get_for_user
from workflows.catalogue.forms import GuideForm, ItemForm, ReasonForm
from workflows.catalogue.from_case import catalogue_item_from_case, release_set_for_catalogue

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _organ() -> Organ:
    organ = Organ.objects.order_by("pk").first()
    if organ is None:
        raise Http404
    return organ


def _office(user: Person) -> bool:
    return bool(user_roles(user) & OFFICE_ROLES)


def _staff_or_404(user: Person) -> None:
    """The catalogue's office pages: the OGI office and the divisions' liaison officers."""
    if not (_office(user) or user_division_ids(user)):
        raise Http404


def _visible_items(user: Person, organ: Organ) -> QuerySet[CatalogueItem]:
    items = office_items(organ)
    if _office(user):
        return items
    return items.filter(division_id__in=user_division_ids(user))


def _item_or_404(user: Person, pk: int) -> CatalogueItem:
    _staff_or_404(user)
    item = _visible_items(user, _organ()).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    _staff_or_404(request.user)
    organ = _organ()
    status = request.GET.get("status", "")
    status = status if status in ItemStatus.values else ""
    items = _visible_items(request.user, organ)
    if status:
        items = items.filter(status=status)
    return render(
        request,
        "catalogue/office_list.html",
        {
            "items": items[:200],
            "status": status,
            "statuses": ItemStatus.choices,
            "is_head": services.may_approve(request.user),
            "is_office": _office(request.user),
            "awaiting": _visible_items(request.user, organ)
            .filter(status=ItemStatus.SUBMITTED)
            .count(),
        },
    )


def _form_fields(form: ItemForm) -> ItemFields:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "doc_number": data["doc_number"],
        "division": data["division"],
        "category": data["category"],
        "body": data["body"],
        "published_on": data["published_on"],
    }


@login_required
def office_new(request: HttpRequest) -> HttpResponse:
    """A new draft; `?source_kind=popular_topic&source_ref=…&title=…` prefills it from a
    popular topic of the case library (the list's link)."""
    _staff_or_404(request.user)
    organ = _organ()
    source_kind = request.GET.get("source_kind", "manual")
    source_ref = request.GET.get("source_ref", "")[:100]
    if request.method == "POST":
        source_kind = request.POST.get("source_kind", "manual")
        source_ref = request.POST.get("source_ref", "")[:100]
    # The page makes manual items and items from popular topics; the other sources have their
    # own steps (a case's release set, a self-check conclusion) and are never typed in.
    if source_kind not in ("manual", "popular_topic"):
        source_kind, source_ref = "manual", ""
    if request.method == "POST":
        form = ItemForm(request.POST, request.FILES, organ=organ, user=request.user)
        if form.is_valid():
            try:
                item = services.catalogue_item_create(
                    organ=organ,
                    actor=staff_user(request),
                    now=timezone.now(),
                    source_kind=source_kind,
                    source_ref=source_ref,
                    attachments=form.cleaned_data["attachments"],
                    **_form_fields(form),
                )
            except CaseworkError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("catalogue-office:item", item.pk)
    else:
        initial: FormData = {"title": request.GET.get("title", "")[:200]}
        if source_kind == "popular_topic":
            initial["category"] = Category.objects.filter(name="依申请公开转主动公开").first()
        form = ItemForm(initial=initial, organ=organ, user=request.user)
    return render(
        request,
        "catalogue/office_form.html",
        {"form": form, "source_kind": source_kind, "source_ref": source_ref, "item": None},
    )


class HistoryRow(TypedDict):
    entry: ItemHistory
    changes: list[tuple[StrOrPromise, str, str]]  # (field, before, after)


def _history_rows(item: CatalogueItem) -> list[HistoryRow]:
    """The item's history with each change named in words (field labels, choice labels)."""
    labels: dict[str, StrOrPromise] = {
        f.name: f.verbose_name
        for f in CatalogueItem._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    labels.update({"source": _lazy("source"), "attachments": _lazy("Attachments")})
    words = {**dict(ItemStatus.choices), **dict(Validity.choices), **dict(SourceKind.choices)}

    def word(value: object) -> str:
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        if isinstance(value, str) and value.split(":")[0] in words:
            head, _sep, tail = value.partition(":")
            return f"{words[head]}{f'（{tail}）' if tail else ''}"
        return "" if value is None else str(value)

    return [
        HistoryRow(
            entry=entry,
            changes=[
                (labels.get(name, name), word(pair[0]), word(pair[1]))
                for name, pair in (entry.changes or {}).items()
            ],
        )
        for entry in item.history.select_related("actor")
    ]


@login_required
def office_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request.user, pk)
    user = request.user
    may_edit = services.may_edit(user, item.division)
    is_head = services.may_approve(user)
    return render(
        request,
        "catalogue/office_item.html",
        {
            "item": item,
            "paragraphs": paragraphs(item.body),
            "history": _history_rows(item),
            "attachments": item.attachments.all(),
            "may_edit": may_edit and item.status == ItemStatus.DRAFT,
            "may_submit": may_edit and item.status == ItemStatus.DRAFT,
            "may_approve": is_head and item.status in (ItemStatus.DRAFT, ItemStatus.SUBMITTED),
            "may_return": is_head and item.status == ItemStatus.SUBMITTED,
            "may_withdraw": is_head
            and item.status == ItemStatus.PUBLISHED
            and item.validity == "valid",
            "reason_form": ReasonForm(),
            "cited": item.cited.select_related("case"),
        },
    )


@login_required
def office_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request.user, pk)
    organ = item.organ
    if request.method == "POST":
        form = ItemForm(request.POST, request.FILES, organ=organ, user=request.user)
        if form.is_valid():
            try:
                services.catalogue_item_update(
                    item=item,
                    actor=staff_user(request),
                    now=timezone.now(),
                    attachments=form.cleaned_data["attachments"],
                    **_form_fields(form),
                )
            except CaseworkError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("catalogue-office:item", item.pk)
    else:
        form = ItemForm(
            initial={
                "title": item.title,
                "doc_number": item.doc_number,
                "division": item.division,
                "category": item.category,
                "published_on": item.published_on,
                "body": item.body,
            },
            organ=organ,
            user=request.user,
        )
    return render(request, "catalogue/office_form.html", {"form": form, "item": item})


ACTIONS: dict[str, StrOrPromise] = {
    "submit": _lazy("Submitted to the head of the OGI office."),
    "approve": _lazy("Approved and published in the catalogue."),
    "return": _lazy("Returned for revision."),
    "withdraw": _lazy("Marked as no longer in force."),
}


@login_required
@require_POST
def office_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = _item_or_404(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    actor, now = staff_user(request), timezone.now()
    reason = request.POST.get("reason", "")
    try:
        if action == "submit":
            services.catalogue_item_submit(item=item, actor=actor, now=now)
        elif action == "approve":
            services.catalogue_item_approve(item=item, actor=actor, now=now)
        elif action == "return":
            services.catalogue_item_return(item=item, actor=actor, now=now, reason=reason)
        else:
            services.catalogue_item_withdraw(item=item, actor=actor, now=now, reason=reason)
    except CaseworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(ACTIONS[action]))
    return redirect("catalogue-office:item", item.pk)


# --- From a case's approved release set ------------------------------------------------------


@login_required
def from_case(request: HttpRequest, number: str) -> HttpResponse:
    """An item made in one step from the case's approved release set (依申请公开转主动公开):
    the redacted files as released, the subject as the title; the head still approves it."""
    try:
        case = case_get_for_user(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None
    if not services.may_edit(request.user, case.lead_division):
        raise Http404
    release = release_set_for_catalogue(case)
    form = ItemForm(
        request.POST or None,
        organ=case.organ,
        user=request.user,
        initial={
            "title": case.subject[:200],
            "division": case.lead_division,
            "category": Category.objects.filter(name="依申请公开转主动公开").first(),
        },
    )
    form.fields.pop("attachments")
    if request.method == "POST" and form.is_valid():
        try:
            item = catalogue_item_from_case(
                case=case, actor=staff_user(request), now=timezone.now(), **_form_fields(form)
            )
        except CaseworkError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The draft was made from the released records."))
            return redirect("catalogue-office:item", item.pk)
    return render(
        request,
        "catalogue/from_case.html",
        {"case": case, "release": release, "form": form},
        status=200,
    )


# --- The guide -------------------------------------------------------------------------------


@login_required
def guide_office(request: HttpRequest) -> HttpResponse:
    """The guide's versions and the current draft (one at a time): the office edits and
    submits it, the head approves it and the portal shows it with its 更新日期."""
    if not _office(request.user):
        raise Http404
    user = staff_user(request)
    organ = _organ()
    draft = guide_draft(organ)
    now = timezone.now()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "new":
                services.guide_draft_create(organ=organ, actor=user, now=now)
                messages.success(request, _("A new draft of the guide was made."))
            elif draft is None:
                raise Http404
            elif action in ("save", "submit"):
                form = GuideForm(request.POST)
                if form.is_valid():
                    services.guide_draft_update(
                        version=draft,
                        actor=user,
                        sections=form.sections(),
                        note=form.cleaned_data["note"],
                    )
                    if action == "submit":
                        services.guide_submit(version=draft, actor=user, now=now)
                    messages.success(request, _("The draft of the guide was saved."))
            elif action == "approve":
                form = GuideForm(request.POST)
                edited = any(key.startswith("section_") for key in request.POST)
                if (
                    edited
                    and services.may_approve(user)
                    and draft.status == "draft"
                    and form.is_valid()
                ):  # the text the head approves from the page is the text saved
                    draft = services.guide_draft_update(
                        version=draft,
                        actor=user,
                        sections=form.sections(),
                        note=form.cleaned_data["note"],
                    )
                services.guide_approve(version=draft, actor=user, now=now)
                messages.success(request, _("The guide was approved and is now on the portal."))
            elif action == "return":
                services.guide_return(version=draft, actor=user)
                messages.success(request, _("The draft of the guide was returned."))
            else:
                raise Http404
        except CaseworkError as exc:
            messages.error(request, exc.message)
        return redirect("catalogue-office:guide")
    shown: GuideForm | None = None
    if draft is not None:
        initial = {f"section_{key}": draft.sections.get(key, "") for key, _label in SECTIONS}
        shown = GuideForm(initial={**initial, "note": draft.note})
    return render(
        request,
        "catalogue/office_guide.html",
        {
            "draft": draft,
            "form": shown,
            "versions": GuideVersion.objects.filter(organ=organ).order_by("-number"),
            "facts": [(label, organ_facts(organ)[key]) for key, label in ORGAN_FIELDS],
            "is_head": services.may_approve(user),
        },
    )
