"""The catalogue and the guide on the portal (no account): list, search, item, files, the
guide with its update date and earlier versions, and the match shown on /apply/."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.catalogue.guide import (
    DEFAULT_SECTIONS,
    ORGAN_FIELDS,
    SECTIONS,
    organ_facts,
    paragraphs,
)
from casework.catalogue.models import Category, GuideVersion, Validity
from casework.catalogue.selectors import (
    PAGE_SIZE,
    guide_current,
    guide_versions_public,
    items_matching,
    public_item_get,
    public_items,
)
from casework.models import Organ
from casework.portal import client_address

SHOWN = "catalogue_shown"  # session: {submission token: [item ids shown]}


def portal_organ() -> Organ | None:
    return Organ.objects.order_by("pk").first()


def catalogue_list(request: HttpRequest) -> HttpResponse:
    organ = portal_organ()
    if organ is None:
        raise Http404
    q = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "")
    category_id = int(category) if category.isdigit() else None
    validity = request.GET.get("validity", "")
    validity = validity if validity in Validity.values else ""
    items = public_items(organ, q=q, category=category_id, validity=validity)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/public_list.html",
        {
            "organ": organ,
            "page": page,
            "q": q,
            "category_id": category_id,
            "validity": validity,
            "categories": Category.objects.filter(is_active=True),
            "validities": Validity.choices,
            "searched": bool(q or category_id or validity),
        },
    )


def catalogue_item(request: HttpRequest, pk: int) -> HttpResponse:
    organ = portal_organ()
    item = public_item_get(organ, pk) if organ is not None else None
    if item is None:
        raise Http404
    return render(
        request,
        "catalogue/public_item.html",
        {"organ": organ, "item": item, "paragraphs": paragraphs(item.body)},
    )


def catalogue_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    organ = portal_organ()
    item = public_item_get(organ, pk) if organ is not None else None
    attachment = item.attachments.filter(pk=file_pk).first() if item is not None else None
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=attachment.content_type == "application/pdf",
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def match_allowed(client: str) -> bool:
    """At most CATALOGUE_MATCH_PER_MINUTE look-ups per client and minute (the cache's atomic
    increment, as the portal's other limits): typing is debounced in the browser, so a person
    stays far below it."""
    if not client:
        return False
    key = "catalogue-match:" + hashlib.sha256(client.encode()).hexdigest()[:32]
    cache.add(key, 0, 60)
    try:
        count = int(cache.incr(key))
    except ValueError:
        cache.set(key, 1, 60)
        count = 1
    return count <= int(settings.CATALOGUE_MATCH_PER_MINUTE)


def catalogue_match(request: HttpRequest) -> HttpResponse:
    """GET ?q=<subject>&token=<the form's submission token>: the published items in force that
    match, as JSON. The ids returned are remembered in the session under the form's token, so
    the application made with that form records what it was shown (never what the browser
    claims)."""
    if not match_allowed(client_address(request)):
        return JsonResponse({"error": _("Too many look-ups; please wait a minute.")}, status=429)
    organ = portal_organ()
    q = request.GET.get("q", "")[:200]
    found = items_matching(organ, q) if organ is not None else []
    token = request.GET.get("token", "")[:64]
    if found and token:
        shown: dict[str, list[int]] = request.session.get(SHOWN, {})
        ids = shown.get(token, [])
        ids.extend(m.item.pk for m in found if m.item.pk not in ids)
        shown[token] = ids[-20:]
        if len(shown) > 10:  # forms remembered per session
            shown.pop(next(iter(shown)))
        request.session[SHOWN] = shown
    response = JsonResponse(
        {
            "heading": _("The following information is already published"),
            "items": [
                {
                    "id": m.item.pk,
                    "title": m.item.title,
                    "doc_number": m.item.doc_number,
                    "published_on": m.item.published_on.isoformat() if m.item.published_on else "",
                    "url": reverse("catalogue:item", args=[m.item.pk]),
                }
                for m in found
            ],
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def shown_for_token(request: HttpRequest, token: str) -> list[int]:
    """The item ids shown to the form with `token` (read by the application's view)."""
    return list(request.session.get(SHOWN, {}).get(token, []))


# --- The guide -------------------------------------------------------------------------------


def _guide_context(organ: Organ | None, version: GuideVersion | None) -> dict[str, object]:
    if version is not None:
        facts = version.organ_facts or (organ_facts(organ) if organ else {})
        texts = version.sections
    else:  # no approved version yet: the default text and the organ's data as they stand
        facts = organ_facts(organ) if organ else {}
        texts = DEFAULT_SECTIONS
    return {
        "organ": organ,
        "version": version,
        "facts": [(label, facts.get(key, "")) for key, label in ORGAN_FIELDS if facts.get(key)],
        "sections": [(key, label, paragraphs(texts.get(key, ""))) for key, label in SECTIONS],
    }


def guide(request: HttpRequest) -> HttpResponse:
    """The current guide: the latest version the head approved, with its 更新日期."""
    organ = portal_organ()
    version = guide_current(organ) if organ is not None else None
    context = _guide_context(organ, version)
    context["earlier"] = (
        guide_versions_public(organ).exclude(pk=version.pk)[:50]
        if organ is not None and version is not None
        else []
    )
    return render(request, "catalogue/guide.html", context)


def guide_version(request: HttpRequest, number: int) -> HttpResponse:
    """An earlier approved version, readable as it was (with a pointer to the current one)."""
    organ = portal_organ()
    version = (
        guide_versions_public(organ).filter(number=number).first() if organ is not None else None
    )
    if organ is None or version is None:
        raise Http404
    context = _guide_context(organ, version)
    context["current"] = guide_current(organ)
    return render(request, "catalogue/guide.html", context)
