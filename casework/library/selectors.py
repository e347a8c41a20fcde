"""What the pages ask the library: similar earlier requests of a case, its Art 36(6)
repeats and duplicates, the applicant's volume (Art 35), the organ's popular topics
(Art 44) and the division to route to. Suggestions only: nothing here changes a case."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from casework.choices import OPEN_STATUSES
from casework.library.index import applicant_keys, candidates, entry_of_case, entry_of_row
from casework.library.match import (
    SIMILAR_LIMIT,
    Entry,
    Match,
    RoutingSuggestion,
    duplicates_of,
    highlighted,
    is_answered_before,
    ranked,
    repeat_of,
    routing_suggestion,
)
from casework.library.memory import POPULAR_WINDOW, popular_groups
from casework.library.models import LibraryEntry, LibrarySettings
from casework.models import Applicant, Case, Division, Organ

VOLUME_WINDOW = timedelta(days=365)


@dataclass(frozen=True)
class Similar:
    """An earlier case shown beside a new one."""

    case: Case
    match: Match
    reply_number: str
    runs: list[tuple[str, bool]]

    @property
    def same(self) -> bool:
        return self.match.same

    @property
    def differences(self) -> list[str]:
        return [str(d) for d in self.match.differences]


def _reply_numbers(case_ids: list[int]) -> dict[int, str]:
    """The 文号 of each case's latest reply letter (kind "reply.<disposition>", Art 36) that
    is not void, in one query (the core follows the reverse relation `Case.letters` when the
    letters app is installed)."""
    relation = Case._meta.fields_map.get("letters")
    if relation is None or not case_ids:
        return {}
    model = relation.related_model
    if not isinstance(model, type):  # a lazy "app.Model" string: the app is not loaded
        return {}
    numbers: dict[int, str] = {}
    rows = model._default_manager.filter(
        case_id__in=case_ids, kind__startswith="reply.", void__isnull=True
    ).order_by("issued_at", "pk")
    for case_id, number in rows.values_list("case_id", "number"):
        numbers[case_id] = str(number)
    return numbers


def _similar(entry: Entry, case: Case) -> list[Match]:
    return ranked(entry, candidates(entry, case.organ_id), SIMILAR_LIMIT)


def _shown(matches: list[Match], new_text: str) -> list[Similar]:
    ids = [int(m.earlier.id) for m in matches]
    cases = Case.objects.select_related("lead_division").in_bulk(ids)
    numbers = _reply_numbers(ids)
    shown = []
    for m in matches:
        earlier = cases.get(m.earlier.id)
        if earlier is None:
            continue
        text = f"{earlier.subject} {earlier.description}".strip()
        shown.append(Similar(earlier, m, numbers.get(earlier.pk, ""), highlighted(text, m.shared)))
    return shown


def similar_cases(case: Case) -> list[Similar]:
    """The 10 most similar earlier requests of the case's organ, same information first."""
    entry = entry_of_case(case)
    return _shown(_similar(entry, case), entry.text)


def repeat_candidates(case: Case) -> list[Similar]:
    """Earlier cases that make this one a repeat under Art 36(6) (same applicant, same
    information, answered before this one arrived), the one to cite first. The 36(6)
    proposal calls this to name the earlier case."""
    entry = entry_of_case(case)
    matches = _similar(entry, case)
    first = repeat_of(entry, matches)
    if first is None:
        return []
    rest = [
        m
        for m in matches
        if m is not first
        and m.same
        and entry.same_applicant(m.earlier)
        and is_answered_before(m.earlier, entry)
    ]
    return _shown([first, *rest], entry.text)


@dataclass(frozen=True)
class Volume:
    """The applicant's requests in the last 12 months (Art 35)."""

    count: int
    threshold: int
    topics: list[tuple[str, int]]
    cases: list[Case]

    @property
    def exceeds(self) -> bool:
        return self.count >= self.threshold


def volume_threshold(organ_id: int) -> int:
    settings = LibrarySettings.objects.filter(organ_id=organ_id).first()
    return settings.volume_threshold if settings else LibrarySettings().volume_threshold


def same_applicant_q(case: Case) -> Q:
    """Cases of the same applicant as `case`: the same identity document or credit code, or
    the same name with the same phone or e-mail (casework.library.index.applicant_keys).

    The keys are matched on the applicants first and the cases are then looked up by
    `applicant_id IN (ids)`, the ids fetched first: an OR of conditions on the joined
    applicant (or a subquery of applicants) left PostgreSQL without an estimate of how many
    cases match, and it walked every case of the organ newest first through the join (3.1 s
    at 1,000,000 cases); a list of ids is estimated from the statistics of the foreign-key
    index and read through it."""
    applicant = case.applicant
    same = Q(pk=applicant.pk)
    if applicant.credit_code:
        same |= Q(credit_code__iexact=applicant.credit_code)
    if applicant.id_number:
        same |= Q(id_type=applicant.id_type, id_number__iexact=applicant.id_number)
    if applicant.name and applicant.phone:
        same |= Q(name=applicant.name, phone=applicant.phone)
    if applicant.name and applicant.email:
        same |= Q(name=applicant.name, email__iexact=applicant.email)
    return Q(applicant_id__in=list(Applicant.objects.filter(same).values_list("pk", flat=True)))


def same_applicant(case: Case, other: Case) -> bool:
    """The two cases come from the same applicant (the keys of `same_applicant_q`)."""
    if case.applicant_id == other.applicant_id:
        return True
    return bool(set(applicant_keys(case.applicant)) & set(applicant_keys(other.applicant)))


def earlier_open_requests(case: Case) -> QuerySet[Case]:
    """The same applicant's requests at the case's organ that arrived before it and are still
    open (not yet answered): what a duplicate may be merged into (issue 25 point 2)."""
    earlier = Q(arrived_at__lt=case.arrived_at) | Q(arrived_at=case.arrived_at, pk__lt=case.pk)
    return (
        Case.objects.filter(same_applicant_q(case), earlier, organ_id=case.organ_id)
        .filter(status__in=OPEN_STATUSES)
        .exclude(pk=case.pk)
        .order_by("arrived_at", "pk")
    )


def applicant_volume(case: Case, today: date) -> Volume:
    """The applicant's requests received in the 12 months up to `today`, this one included,
    and their subjects (Art 35)."""
    since = today - VOLUME_WINDOW
    cases = list(
        Case.objects.filter(same_applicant_q(case), organ_id=case.organ_id)
        .filter(Q(received_on__gte=since) | Q(pk=case.pk))
        .order_by("-received_on", "-pk")[:500]
    )
    topics: Counter[str] = Counter()
    for c in cases:
        topics[c.subject[:30]] += 1
    return Volume(len(cases), volume_threshold(case.organ_id), topics.most_common(10), cases)


@dataclass
class Panel:
    """Everything the library shows on a case page or at registration."""

    similar: list[Similar]
    repeat: Similar | None
    duplicates: list[Similar]
    volume: Volume
    routing: RoutingSuggestion | None
    routing_division: Division | None
    routing_evidence: list[Similar] = field(default_factory=list)


def library_panel(case: Case, today: date) -> Panel:
    entry = entry_of_case(case)
    matches = _similar(entry, case)
    similar = _shown(matches, entry.text)
    by_id = {s.case.pk: s for s in similar}
    repeat = repeat_of(entry, matches)
    # A duplicate to merge is still open: a withdrawn or merged earlier request is not.
    duplicates = [
        by_id[m.earlier.id]
        for m in duplicates_of(entry, matches)
        if m.earlier.id in by_id and by_id[m.earlier.id].case.status in OPEN_STATUSES
    ]
    route = routing_suggestion(matches)
    division = Division.objects.filter(pk=int(route.division)).first() if route else None
    return Panel(
        similar=similar,
        repeat=by_id.get(repeat.earlier.id) if repeat else None,  # type: ignore[arg-type]
        duplicates=duplicates,
        volume=applicant_volume(case, today),
        routing=route,
        routing_division=division,
        routing_evidence=[by_id[m.earlier.id] for m in route.evidence if m.earlier.id in by_id]
        if route
        else [],
    )


def merge_candidates(case: Case) -> list[Similar]:
    """The same applicant's earlier open requests that the library judges the same
    information: the case the merge form proposes first (a suggestion; the officer names the
    case to merge into)."""
    entry = entry_of_case(case)
    matches = duplicates_of(entry, _similar(entry, case))
    return [s for s in _shown(matches, entry.text) if s.case.status in OPEN_STATUSES]


def routing_for_entry(entry: Entry, organ_id: int) -> RoutingSuggestion | None:
    return routing_suggestion(ranked(entry, candidates(entry, organ_id), SIMILAR_LIMIT))


@dataclass(frozen=True)
class PopularTopic:
    cases: list[Case]
    applicants: int
    first_on: date
    last_on: date


def popular_topics(organ: Organ, today: date) -> list[PopularTopic]:
    """Same-information requests from ≥ 3 distinct applicants within 12 months (Art 44: the
    organ may publish proactively what several applicants ask for; the office's self-check
    of 依申请公开较为集中的信息)."""
    rows = LibraryEntry.objects.filter(
        organ_id=organ.pk, received_on__gte=today - POPULAR_WINDOW, received_on__lte=today
    )
    groups = popular_groups([entry_of_row(r) for r in rows], today)
    cases = Case.objects.select_related("lead_division").in_bulk([e.id for g in groups for e in g])
    topics = []
    for g in groups:
        members = [cases[e.id] for e in g if e.id in cases]
        applicants = len({min(e.applicant_keys) if e.applicant_keys else e.id for e in g})
        topics.append(PopularTopic(members, applicants, g[0].received_on, g[-1].received_on))
    return topics


@dataclass(frozen=True)
class RoutingStats:
    suggested: int
    accepted: int
    overridden: int


def routing_stats(organ: Organ) -> RoutingStats:
    """How often the registrar took the suggested division and how often overrode it."""
    rows = LibraryEntry.objects.filter(
        organ_id=organ.pk, suggested_division__isnull=False, case__lead_division__isnull=False
    ).values_list("suggested_division_id", "case__lead_division_id")
    accepted = sum(1 for s, d in rows if s == d)
    total = len(rows)
    return RoutingStats(total, accepted, total - accepted)
