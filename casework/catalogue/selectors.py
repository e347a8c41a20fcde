"""Reads of the catalogue and the guide: the public lists, the match shown on /apply/, and
the figures (issue 26 point 6) for the supervision dashboard and the self-check report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, IntegerField, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from casework.catalogue.models import (
    CatalogueItem,
    Category,
    GuideStatus,
    GuideVersion,
    ItemCited,
    ItemShown,
    ItemStatus,
    SourceKind,
)
from casework.library.text import bigrams, core_text
from casework.models import Organ
from casework.text import cn_date

PAGE_SIZE = 20
MATCH_LIMIT = 5
MATCH_THRESHOLD = 0.5  # share of the typed subject's bigrams found in the item's title
MATCH_MIN_CORE = 4  # characters of core text before anything is matched


def public_items(
    organ: Organ,
    *,
    q: str = "",
    category: Category | int | None = None,
    validity: str = "",
) -> QuerySet[CatalogueItem]:
    """Published items of an organ (in force and no longer in force alike), newest first,
    narrowed by words of the title, 文号 or text, a category and the validity."""
    items = CatalogueItem.objects.filter(organ=organ, status=ItemStatus.PUBLISHED)
    for word in (q or "").split()[:5]:
        items = items.filter(
            Q(title__icontains=word) | Q(doc_number__icontains=word) | Q(body__icontains=word)
        )
    if category:
        items = items.filter(category=category)
    if validity:
        items = items.filter(validity=validity)
    return items.select_related("category", "division").order_by("-published_on", "-pk")


def public_item_get(organ: Organ, pk: int) -> CatalogueItem | None:
    return (
        CatalogueItem.objects.filter(organ=organ, status=ItemStatus.PUBLISHED, pk=pk)
        .select_related("category", "division")
        .prefetch_related("attachments")
        .first()
    )


def office_items(organ: Organ, *, status: str = "") -> QuerySet[CatalogueItem]:
    items = CatalogueItem.objects.filter(organ=organ)
    if status:
        items = items.filter(status=status)
    return items.select_related("category", "division").order_by("-created_at", "-pk")


@dataclass(frozen=True)
class Match:
    item: CatalogueItem
    score: float


def items_matching(organ: Organ, text: str, *, limit: int = MATCH_LIMIT) -> list[Match]:
    """Published items in force whose title (with its 文号) covers most of what the applicant
    typed: the share of the subject's character bigrams (core text, casework.library.text)
    found in the item's, best first."""
    core = core_text(text)
    if len(core) < MATCH_MIN_CORE:
        return []
    wanted = bigrams(core)
    found: list[Match] = []
    rows = CatalogueItem.objects.filter(
        organ=organ, status=ItemStatus.PUBLISHED, validity="valid"
    ).only("pk", "title", "doc_number", "published_on", "organ_id")
    for item in rows.iterator():
        have = bigrams(core_text(f"{item.title}{item.doc_number}"))
        if not have:
            continue
        score = len(wanted & have) / len(wanted)
        if score >= MATCH_THRESHOLD:
            found.append(Match(item, score))
    found.sort(key=lambda m: (-m.score, -m.item.pk))
    return found[:limit]


def items_for_reply(organ: Organ) -> QuerySet[CatalogueItem]:
    """The items a 36(1) reply may point to: published and in force."""
    return (
        CatalogueItem.objects.filter(organ=organ, status=ItemStatus.PUBLISHED, validity="valid")
        .select_related("category")
        .order_by("-published_on", "-pk")
    )


# --- The guide -------------------------------------------------------------------------------


def guide_current(organ: Organ) -> GuideVersion | None:
    return (
        GuideVersion.objects.filter(organ=organ, status=GuideStatus.APPROVED)
        .order_by("-number")
        .first()
    )


def guide_versions_public(organ: Organ) -> QuerySet[GuideVersion]:
    return GuideVersion.objects.filter(organ=organ, status=GuideStatus.APPROVED).order_by("-number")


def guide_draft(organ: Organ) -> GuideVersion | None:
    return GuideVersion.objects.filter(organ=organ).exclude(status=GuideStatus.APPROVED).first()


# --- Figures (issue 26 point 6) --------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueFigures:
    answered_by_catalogue: int  # replied cases whose reply pointed to an item (Art 36(1))
    published_from_cases: int  # items made from a case's released records
    from_selfchecks: int  # published items that came from self-check conclusions
    from_popular_topics: int  # published items that came from popular topics
    shown_then_applied: int  # applications made although matching items were shown
    items_published: int  # items published in the period
    items_in_force: int  # items in force now

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def catalogue_figures(
    organ: Organ | None = None,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> CatalogueFigures:
    """The catalogue's figures for an organ (summed over all organs when None) and a period of
    dates (inclusive; open-ended when not given): distinct cases and items. One query (a
    correlated count per figure on the organ rows), so the supervision dashboard's include
    adds one. Called by that include and by the self-check campaign report."""

    def count(qs: QuerySet[Model], organ_path: str, counted: str) -> Coalesce:
        rows = (
            qs.filter(**{organ_path: OuterRef("pk")})
            .order_by()
            .values(organ_path)
            .annotate(n=Count(counted, distinct=True))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    published = CatalogueItem.objects.filter(status=ItemStatus.PUBLISHED)
    if start is not None:
        published = published.filter(published_at__date__gte=start)
    if end is not None:
        published = published.filter(published_at__date__lte=end)
    # Replied cases whose reply pointed to an item, in the period by the day it went out.
    cited = ItemCited.objects.filter(
        use=ItemCited.Use.ALREADY_PUBLIC, case__closed_on__isnull=False
    )
    if start is not None:
        cited = cited.filter(case__closed_on__gte=start)
    if end is not None:
        cited = cited.filter(case__closed_on__lte=end)
    shown = ItemShown.objects.all()
    if start is not None:
        shown = shown.filter(shown_at__date__gte=start)
    if end is not None:
        shown = shown.filter(shown_at__date__lte=end)
    in_force = CatalogueItem.objects.filter(status=ItemStatus.PUBLISHED, validity="valid")
    organs = Organ.objects.all() if organ is None else Organ.objects.filter(pk=organ.pk)
    rows = organs.annotate(
        answered_by_catalogue=count(cited, "case__organ", "case"),
        published_from_cases=count(published.filter(source_kind=SourceKind.CASE), "organ", "pk"),
        from_selfchecks=count(published.filter(source_kind=SourceKind.SELFCHECK), "organ", "pk"),
        from_popular_topics=count(
            published.filter(source_kind=SourceKind.POPULAR_TOPIC), "organ", "pk"
        ),
        shown_then_applied=count(shown, "case__organ", "case"),
        items_published=count(published, "organ", "pk"),
        items_in_force=count(in_force, "organ", "pk"),
    ).values(*FIGURES)
    totals = dict.fromkeys(FIGURES, 0)
    for row in rows:
        for name in FIGURES:
            totals[name] += int(row[name] or 0)
    return CatalogueFigures(**totals)


FIGURES = (
    "answered_by_catalogue",
    "published_from_cases",
    "from_selfchecks",
    "from_popular_topics",
    "shown_then_applied",
    "items_published",
    "items_in_force",
)


# --- Replies that point to the catalogue (issue 26 point 3) ---------------------------------


def item_address(item: CatalogueItem) -> str:
    """The item's public address on the portal (SITE_URL + its page)."""
    return settings.SITE_URL.rstrip("/") + reverse("catalogue:item", args=[item.pk])


def where_published_text(item: CatalogueItem) -> str:
    """What a 36(1) reply prints about the item: its title, where and when it was published,
    and its address (the letter's sentence: 现告知您获取该政府信息的方式和途径：…)."""
    where = "本机关门户网站“主动公开目录”"
    if item.category is not None:
        where = f"本机关门户网站“主动公开目录—{item.category.name}”栏目"
    doc = f"{item.doc_number}，" if item.doc_number else ""
    when = f"{cn_date(item.published_on)}发布" if item.published_on else "已发布"
    return f"{where}《{item.title}》（{doc}{when}），网址：{item_address(item)}"
