"""The evaluation interface of the case library (`manage.py similar_eval`, `bench_similar`).

Requests are taken in `received_on` order (ties by id) into a library of their own — never
an organ's cases — and each is answered from the requests before it only. With labels
(`cluster`: equal clusters = the same information) the answers are scored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from casework.library.facts import Difference
from casework.library.match import (
    Entry,
    Match,
    answered_before,
    compare,
    duplicates_of,
    repeat_of,
    routing_suggestion,
)
from casework.library.memory import POPULAR_WINDOW, MemoryLibrary, popular_groups
from casework.payloads import JSONValue, Payload


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass
class Request:
    id: str
    text: str
    applicant: str
    received_on: date
    replied_on: date | None
    division: str | None
    cluster: str | None
    raw_id: JSONValue = None

    @property
    def order(self) -> tuple[date, int, float, str]:
        """received_on, then id: numerically when the id is a number, else as text."""
        try:
            return (self.received_on, 0, float(self.id), "")
        except ValueError:
            return (self.received_on, 1, 0.0, self.id)

    @classmethod
    def of(cls, row: Mapping[str, JSONValue], position: int) -> Request:
        received = _date(row.get("received_on")) or date(1970, 1, 1)
        division = row.get("division")
        cluster = row.get("cluster")
        return cls(
            id=str(row.get("id", f"#{position}")),
            text=str(row.get("text") or ""),
            applicant=str(row.get("applicant") or ""),
            received_on=received,
            replied_on=_date(row.get("replied_on")),
            division=str(division) if division not in (None, "") else None,
            cluster=str(cluster) if cluster not in (None, "") else None,
            raw_id=row.get("id", f"#{position}"),
        )

    def entry(self) -> Entry:
        keys = [f"applicant:{self.applicant}"] if self.applicant else []
        return Entry.of(self.id, self.text, keys, self.received_on, self.replied_on, self.division)


@dataclass
class Evaluation:
    answers: list[Payload] = field(default_factory=list)
    metrics: dict[str, float | int | None] = field(default_factory=dict)
    lookup_ms: list[float] = field(default_factory=list)


NAIVE_THRESHOLD = 0.5
_NOT_SAME = Difference("naive", (), (), "below threshold")


def _naive(entry: Entry, library: MemoryLibrary) -> list[Match]:
    """The baseline: character-bigram overlap alone ranks and judges (no facts)."""
    found = [compare(entry, c) for c in library.candidates(entry)]
    found = [
        Match(
            m.earlier,
            m.score,
            m.score,
            () if m.score >= NAIVE_THRESHOLD else (_NOT_SAME,),
            m.shared,
        )
        for m in found
        if m.score > 0
    ]
    found.sort(key=lambda m: (m.score, m.earlier.received_on, str(m.earlier.id)), reverse=True)
    return found[:10]


def evaluate(
    rows: Iterable[Mapping[str, JSONValue]],
    *,
    naive: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Evaluation:
    """Answer every request from the ones before it; score when clusters are given.
    `naive`: the character-overlap baseline instead of the library's judgement."""
    requests = [Request.of(r, i) for i, r in enumerate(rows)]
    seen: set[str] = set()
    for position, r in enumerate(requests):
        if r.id in seen:  # a repeated id stays distinct inside; answers keep the id given
            r.id = f"{r.id}#{position}"
        seen.add(r.id)
    requests.sort(key=lambda r: r.order)
    raw = {r.id: r.raw_id for r in requests}
    library = MemoryLibrary()
    result = Evaluation()
    entries: list[Entry] = []
    for done, r in enumerate(requests, start=1):
        entry = r.entry()
        started = time.perf_counter()
        matches = _naive(entry, library) if naive else library.similar(entry)
        repeat = repeat_of(entry, matches)
        duplicates_of(entry, matches)
        route = routing_suggestion(matches)
        result.lookup_ms.append((time.perf_counter() - started) * 1000)
        result.answers.append(
            {
                "id": r.raw_id,
                "similar": [raw[str(m.earlier.id)] for m in matches],
                "same": [raw[str(m.earlier.id)] for m in matches if m.same],
                "repeat_of": raw[str(repeat.earlier.id)] if repeat else None,
                "division": route.division if route else None,
            }
        )
        library.add(entry)
        entries.append(entry)
        if progress is not None:
            progress(done, len(requests))
    if requests and all(r.cluster is not None for r in requests):
        result.metrics = score(requests, result.answers, entries, popular=not naive)
    return result


def score(
    requests: list[Request],
    answers: list[Payload],
    entries: list[Entry],
    *,
    popular: bool = True,
) -> dict[str, float | int | None]:
    by_id = {r.id: r for r in requests}
    hits = found = wanted = with_earlier = 0
    tp = fp = fn = 0
    repeats = repeats_found = non_repeats = false_repeats = 0
    routed = routed_right = 0
    earlier: list[Request] = []
    for r, answer in zip(requests, answers, strict=True):
        truth = {e.id for e in earlier if e.cluster == r.cluster}
        if truth:
            with_earlier += 1
            hits += bool(answer["similar"]) and str(answer["similar"][0]) in truth
            wanted += min(len(truth), 10)
            found += len(truth & {str(i) for i in answer["similar"]})
            if r.division is not None:
                routed += 1
                routed_right += answer["division"] == r.division
        said = {str(i) for i in answer["same"]}
        tp += len(said & truth)
        fp += len(said - truth)
        fn += len(truth - said)
        is_repeat = any(
            e.cluster == r.cluster
            and e.applicant == r.applicant
            and r.applicant
            and answered_before(e.replied_on, r.received_on)
            for e in earlier
        )
        if is_repeat:
            repeats += 1
            repeats_found += (
                answer["repeat_of"] is not None
                and by_id[str(answer["repeat_of"])].cluster == r.cluster
            )
        else:
            non_repeats += 1
            false_repeats += answer["repeat_of"] is not None
        earlier.append(r)
    popular_total, popular_found = _popular_recall(requests, entries) if popular else (0, 0)
    return {
        "requests": len(requests),
        "with_earlier_same": with_earlier,
        "hit_at_1": _ratio(hits, with_earlier),
        "recall_at_10": _ratio(found, wanted),
        "same_precision": _ratio(tp, tp + fp),
        "same_recall": _ratio(tp, tp + fn),
        "repeats": repeats,
        "repeat_recall": _ratio(repeats_found, repeats),
        "false_repeat_rate": _ratio(false_repeats, non_repeats),
        "routing_accuracy": _ratio(routed_right, routed),
        "popular_topics": popular_total,
        "popular_recall": _ratio(popular_found, popular_total),
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _popular_recall(requests: list[Request], entries: list[Entry]) -> tuple[int, int]:
    """A labelled popular topic: a cluster with ≥ 3 distinct applicants within 12 months; it
    is found when the office list on the day its third applicant came holds a group with
    three of its applicants' requests."""
    clusters: dict[str, list[Request]] = {}
    for r in requests:
        if r.cluster is not None:
            clusters.setdefault(r.cluster, []).append(r)
    entry_of = {e.id: e for e in entries}
    judged: dict[tuple[int | str, int | str], bool] = {}

    def judge(a: Entry, b: Entry) -> bool:
        key = (a.id, b.id) if str(a.id) < str(b.id) else (b.id, a.id)
        if key not in judged:
            judged[key] = compare(a, b).same
        return judged[key]

    total = found = 0
    for members in clusters.values():
        day = _third_applicant_day(members)
        if day is None:
            continue
        total += 1
        ids = {m.id for m in members}
        for group in popular_groups(list(entry_of.values()), day, judge=judge):
            mine = {e.applicant_keys and min(e.applicant_keys) for e in group if e.id in ids}
            if len(mine) >= 3:
                found += 1
                break
    return total, found


def _third_applicant_day(members: list[Request]) -> date | None:
    members = sorted(members, key=lambda m: m.received_on)
    for i, m in enumerate(members):
        window = [x for x in members[: i + 1] if m.received_on - x.received_on <= POPULAR_WINDOW]
        if len({x.applicant for x in window}) >= 3:
            return m.received_on
    return None
