"""What a self-check reviews and what its pages read: the withheld decisions and withheld parts
still in force (from the cases' decisions, their items and the release sets' frozen statements
of withheld parts), the case library's popular topics, the division's queue, and the counts of
the campaign's report. Reads only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet

from casework.catalogue.selectors import catalogue_figures as catalogue_counts
from casework.choices import CaseStatus, Disposition, Role
from casework.library.index import entry_of_case
from casework.library.selectors import popular_topics, routing_for_entry
from casework.lifecycle.actors import Person
from casework.models import Case, Division, Event, Organ
from casework.payloads import Payload
from casework.permissions import OFFICE_ROLES, user_division_ids, user_roles
from casework.selfcheck.models import Audit, Campaign, Conclusion, Item, Kind

# A decision is in force once its reply went out (the case replied or archived).
DECIDED = (CaseStatus.REPLIED, CaseStatus.ARCHIVED)
RELEASED_SET_STATES = ("approved", "released")  # letters.records ReleaseSet.Status
# Conclusions that end the withholding (or the topic's standing as a request-only matter).
RESOLVED = (Conclusion.DISCLOSE_NOW, Conclusion.CONVERT_PROACTIVE)


@dataclass
class Candidate:
    """One thing a new campaign lists, before it is stored as an Item."""

    kind: str
    source_key: str
    title: str
    division_id: int | None
    case: Case | None = None
    position: int | None = None
    ground: str = ""
    withheld: str = ""
    reasons_then: str = ""
    decided_on: date | None = None
    topic_cases: list[str] = field(default_factory=list)
    applicants: int = 0


def _resolved_keys(organ: Organ) -> set[str]:
    """Sources an earlier campaign already concluded, with approval, to disclose."""
    return set(
        Item.objects.filter(
            campaign__organ=organ, status=Item.Status.APPROVED, conclusion__in=RESOLVED
        ).values_list("source_key", flat=True)
    )


def _corrected_case_ids(case_ids: list[int]) -> set[int]:
    """Cases whose decision a reconsideration or court corrected: no longer in force as made."""
    return set(
        Event.objects.filter(
            case_id__in=case_ids, kind="record_remedy", payload__outcome="corrected"
        ).values_list("case_id", flat=True)
    )


def _proposals(case_ids: list[int]) -> dict[int, Payload]:
    """The latest proposal of each case (what was decided, with its reasons)."""
    latest: dict[int, Payload] = {}
    rows = Event.objects.filter(case_id__in=case_ids, kind="propose").order_by("case_id", "seq")
    for case_id, payload in rows.values_list("case_id", "payload"):
        latest[case_id] = payload or {}
    return latest


def _release_statements(case_ids: list[int]) -> dict[int, list[Payload]]:
    """The frozen statement of the withheld parts of each case's approved or released set
    (letters.records; read through the reverse relation, as the core does not import it)."""
    relation = Case._meta.fields_map.get("release_sets")
    if relation is None or not case_ids:
        return {}
    model = relation.related_model
    if not isinstance(model, type):
        return {}
    statements: dict[int, list[Payload]] = {}
    rows = model._default_manager.filter(
        case_id__in=case_ids, status__in=RELEASED_SET_STATES
    ).order_by("case_id", "pk")
    for case_id, statement in rows.values_list("case_id", "statement"):
        statements[case_id] = list(statement or [])
    return statements


def statement_grounds(statement: list[Payload]) -> str:
    """附件1：第十五条（第2页共1处）；… — where the parts are withheld and on which article."""
    parts = []
    for row in statement:
        where = []
        if row.get("pages"):
            where.append(f"第{'、'.join(str(p) for p in row['pages'])}页共{row.get('boxes', 0)}处")
        if row.get("whole_pages"):
            where.append(f"第{'、'.join(str(p) for p in row['whole_pages'])}页整页")
        parts.append(f"附件{row.get('position')}：{row.get('article', '')}（{'、'.join(where)}）")
    return "；".join(parts)


def _withholds(disposition: str) -> str | None:
    if disposition.startswith("refused."):
        return Kind.WITHHELD
    if disposition == Disposition.PARTIAL:
        return Kind.WITHHELD_PART
    return None


def withheld_in_force(organ: Organ, start: date, end: date) -> list[Candidate]:
    """Every refusal (Art 14-16, 36(3), 36(7)) and every withheld part of a partial disclosure
    (Art 37) replied between `start` and `end` whose decision is still in force: not corrected
    on review or in court, not already disclosed by an earlier self-check. A request of several
    items gives one entry per withholding item."""
    cases = list(
        Case.objects.filter(
            organ=organ, status__in=DECIDED, closed_on__gte=start, closed_on__lte=end
        )
        .filter(
            Q(disposition__startswith="refused.")
            | Q(disposition=Disposition.PARTIAL)
            | Q(request_items__disposition__startswith="refused.")
            | Q(request_items__disposition=Disposition.PARTIAL)
        )
        .distinct()
        .select_related("lead_division")
        .order_by("closed_on", "pk")
    )
    ids = [c.pk for c in cases]
    corrected = _corrected_case_ids(ids)
    proposals = _proposals(ids)
    statements = _release_statements(ids)
    resolved = _resolved_keys(organ)
    found: list[Candidate] = []
    for case in cases:
        if case.pk in corrected:
            continue
        proposal = proposals.get(case.pk, {})
        statement = statement_grounds(statements.get(case.pk, []))
        decisions = [d for d in proposal.get("item_decisions") or [] if isinstance(d, dict)]
        if decisions:
            for d in decisions:
                kind = _withholds(str(d.get("disposition", "")))
                key = f"case:{case.pk}:item:{d.get('position')}"
                if kind is None or key in resolved:
                    continue
                found.append(
                    Candidate(
                        kind=kind,
                        source_key=key,
                        title=f"{case.subject}（第{d.get('position')}项：{d.get('text', '')}）"[
                            :500
                        ],
                        division_id=case.lead_division_id,
                        case=case,
                        position=d.get("position"),
                        ground=str(d.get("basis", ""))[:300],
                        withheld=str(d.get("withheld", ""))
                        + ("；" + statement if statement else ""),
                        reasons_then=str(d.get("reasons", "")),
                        decided_on=case.closed_on,
                    )
                )
            continue
        kind = _withholds(case.disposition)
        key = f"case:{case.pk}"
        if kind is None or key in resolved:
            continue
        withheld = str(proposal.get("withheld", ""))
        if statement:
            withheld = f"{withheld}；{statement}" if withheld else statement
        found.append(
            Candidate(
                kind=kind,
                source_key=key,
                title=case.subject,
                division_id=case.lead_division_id,
                case=case,
                ground=case.disposition_basis,
                withheld=withheld,
                reasons_then=str(proposal.get("reasons", "")),
                decided_on=case.closed_on,
            )
        )
    return found


def topics_to_check(organ: Organ, today: date) -> list[Candidate]:
    """The case library's popular topics (Art 44) as of `today`, each for the division that
    answered most of its requests; a topic already converted by an earlier campaign is left."""
    resolved = _resolved_keys(organ)
    found = []
    for topic in popular_topics(organ, today):
        first = min(topic.cases, key=lambda c: (c.received_on or today, c.pk))
        key = f"topic:{first.pk}"
        if key in resolved:
            continue
        divisions = Counter(c.lead_division_id for c in topic.cases if c.lead_division_id)
        latest = max(topic.cases, key=lambda c: (c.received_on or today, c.pk))
        division_id = divisions.most_common(1)[0][0] if divisions else _routed(latest)
        found.append(
            Candidate(
                kind=Kind.POPULAR_TOPIC,
                source_key=key,
                title=latest.subject,
                division_id=division_id,
                case=latest,
                decided_on=topic.last_on,
                topic_cases=[c.number for c in topic.cases],
                applicants=topic.applicants,
            )
        )
    return found


def _routed(case: Case) -> int | None:
    """No case of the topic is routed yet: the division the library suggests for it (the one
    that answered the most similar earlier requests), else none (the office concludes)."""
    route = routing_for_entry(entry_of_case(case), case.organ_id)
    return int(route.division) if route else None


# --- who sees what ------------------------------------------------------------------------------


def is_office(user: Person) -> bool:
    return bool(user_roles(user) & OFFICE_ROLES) or bool(getattr(user, "is_superuser", False))


def is_head(user: Person) -> bool:
    """The head of the OGI office approves the conclusions (there is no division-head role)."""
    return Role.OFFICE_HEAD in user_roles(user)


def sees_campaigns(user: Person) -> bool:
    return is_office(user) or Role.SUPERVISOR in user_roles(user)


def items_visible_to(user: Person) -> QuerySet[Item]:
    items = Item.objects.select_related("campaign", "division", "case")
    if sees_campaigns(user):
        return items
    return items.filter(division_id__in=user_division_ids(user))


OPEN_FLAG = "selfcheck:open-campaigns"
OPEN_FLAG_SECONDS = 300


def open_campaigns_exist() -> bool:
    """Whether any campaign is open, kept in the default cache (Redis in production) so the
    workbench asks the database nothing more while no self-check runs; opening and closing
    a campaign forget it (after commit), and it expires after five minutes anyway."""
    flag = cache.get(OPEN_FLAG)
    if flag is None:
        flag = Campaign.objects.filter(status=Campaign.Status.OPEN).exists()
        cache.set(OPEN_FLAG, flag, OPEN_FLAG_SECONDS)
    return bool(flag)


def open_campaigns_forget() -> None:
    cache.delete(OPEN_FLAG)
    transaction.on_commit(lambda: cache.delete(OPEN_FLAG))  # what others cached meanwhile


def division_queue(user: Person) -> list[Item]:
    """The division's self-check items waiting for its conclusion (its liaison officers'
    panel on the workbench), soonest due first."""
    if Role.LIAISON not in user_roles(user) or not open_campaigns_exist():
        return []
    return list(
        Item.objects.filter(
            division_id__in=user_division_ids(user),
            status__in=[Item.Status.PENDING, Item.Status.RETURNED],
            campaign__status=Campaign.Status.OPEN,
        )
        .select_related("campaign", "division", "case")
        .order_by("due_on", "pk")[:50]
    )


def approval_queue(user: Person) -> list[Item]:
    """Conclusions waiting for the head's approval."""
    if not is_head(user) or not open_campaigns_exist():
        return []
    return list(
        Item.objects.filter(status=Item.Status.CONCLUDED, campaign__status=Campaign.Status.OPEN)
        .select_related("campaign", "division", "case")
        .order_by("due_on", "pk")[:50]
    )


def item_history(item: Item) -> QuerySet[Audit]:
    return Audit.objects.filter(item=item).order_by("pk")


# --- the report --------------------------------------------------------------------------------


@dataclass
class Report:
    campaign: Campaign
    conclusions: list[tuple[str, str]]  # (key, label), "" = not yet concluded
    rows: list[tuple[str, list[int], int]]  # (division, counts per conclusion, total)
    totals: list[int]
    total: int
    by_kind: list[tuple[str, int]]
    catalogue: dict[str, int]
    items: list[Item]

    @property
    def counts(self) -> dict[str, int]:
        """Per kind and per conclusion, by key, for the narrative (the annual report's 自查
        paragraph): withheld, withheld_part, popular_topic, keep_withheld, disclose_now,
        convert_proactive, open (not yet approved)."""
        kinds = Counter(item.kind for item in self.items)
        approved = Counter(
            item.conclusion for item in self.items if item.status == Item.Status.APPROVED
        )
        return {
            **{k.value: kinds.get(k.value, 0) for k in Kind},
            **{c.value: approved.get(c.value, 0) for c in Conclusion},
            "open": sum(1 for item in self.items if item.status != Item.Status.APPROVED),
        }


def catalogue_figures(campaign: Campaign) -> dict[str, int]:
    """How many catalogue items came from self-checks and from popular topics (issue 26
    point 6): those published since the campaign opened, counted by the catalogue."""
    counted = catalogue_counts(campaign.organ, start=campaign.opened_on)
    return {"selfcheck": counted.from_selfchecks, "popular_topic": counted.from_popular_topics}


def campaign_report(campaign: Campaign) -> Report:
    """Counts per conclusion and division (the approved conclusion; others as not concluded)."""
    items = list(campaign.items.select_related("division", "case").order_by("division__name", "pk"))
    keys = [c.value for c in Conclusion] + [""]
    labels = [(c.value, str(c.label)) for c in Conclusion] + [("", "")]
    table: dict[str, list[int]] = {}
    for item in items:
        name = item.division.name if item.division else ""
        concluded = item.conclusion if item.status == Item.Status.APPROVED else ""
        table.setdefault(name, [0] * len(keys))[keys.index(concluded)] += 1
    rows = [(name, counts, sum(counts)) for name, counts in sorted(table.items())]
    totals = [sum(r[1][i] for r in rows) for i in range(len(keys))]
    kinds = Counter(item.kind for item in items)
    return Report(
        campaign=campaign,
        conclusions=labels,
        rows=rows,
        totals=totals,
        total=len(items),
        by_kind=[(str(k.label), kinds.get(k.value, 0)) for k in Kind],
        catalogue=catalogue_figures(campaign),
        items=items,
    )


def campaigns_of(user: Person) -> QuerySet[Campaign]:
    if not sees_campaigns(user):
        return Campaign.objects.none()
    return Campaign.objects.select_related("organ").order_by("-opened_on", "-pk")


def division_name(division_id: int | None) -> str:
    if division_id is None:
        return ""
    return Division.objects.filter(pk=division_id).values_list("name", flat=True).first() or ""
