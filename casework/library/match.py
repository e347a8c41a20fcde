"""Comparing a request with earlier ones: rank by text, judge "same information" by facts.

The score is the cosine of the two requests' sets of character bigrams (core text, without
boilerplate: `casework.library.text`). Two requests are judged the *same information* when no
fact differs (`casework.library.facts.differences`, rules 1–5) and the score reaches
SAME_THRESHOLD (rule 6 allows other wording, not another subject). Ranking puts the requests
judged the same first, then by score less a penalty per differing fact, so that a look-alike
from another year never hides the request that asked for the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from casework.library.facts import (
    Difference,
    Facts,
    differences,
    extract_facts,
    same_document,
    subject_difference,
    topic_text,
)
from casework.library.text import bigrams, core_text

SAME_THRESHOLD = 0.4
# What a stored entry was computed by: raise it with any change to text.py, facts.py or the
# entry's terms that changes what an entry holds. Entries of an older version are rewritten by
# `library_rebuild --missing` (and the job that `bin/bootstrap serve` enqueues after migrating);
# until then they are still compared, by their old facts.
RULES_VERSION = 2  # 2: the rules read off real request texts (ADR 0009)
SIMILAR_LIMIT = 10
DIFFERENCE_PENALTY = 0.2
PENALISED_DIFFERENCES = 2
PREFILTER = 50


@dataclass(frozen=True)
class Entry:
    """One request of the library, as the comparison sees it."""

    id: int | str
    text: str
    applicant_keys: frozenset[str]
    received_on: date
    replied_on: date | None = None
    division: str | None = None
    core: str = ""
    grams: frozenset[str] = frozenset()
    topic: str = ""
    topic_grams: frozenset[str] = frozenset()
    facts: Facts = field(default_factory=Facts)

    @classmethod
    def of(
        cls,
        id: int | str,
        text: str,
        applicant_keys: Iterable[str],
        received_on: date,
        replied_on: date | None = None,
        division: str | None = None,
    ) -> Entry:
        keys = frozenset(k for k in applicant_keys if k)
        core = core_text(text)
        topic = topic_text(core)
        return cls(
            id=id,
            text=text,
            applicant_keys=keys,
            received_on=received_on,
            replied_on=replied_on,
            division=division,
            core=core,
            grams=bigrams(core),
            topic=topic,
            topic_grams=bigrams(topic),
            facts=extract_facts(text, primary_key(keys)),
        )

    @classmethod
    def stored(
        cls,
        id: int | str,
        core: str,
        topic: str,
        facts: Facts,
        applicant_keys: Iterable[str],
        received_on: date,
        replied_on: date | None,
        division: str | None,
    ) -> Entry:
        """An entry as the index stored it (no re-extraction)."""
        return cls(
            id=id,
            text=core,
            applicant_keys=frozenset(applicant_keys),
            received_on=received_on,
            replied_on=replied_on,
            division=division,
            core=core,
            grams=bigrams(core),
            topic=topic,
            topic_grams=bigrams(topic),
            facts=facts,
        )

    def same_applicant(self, other: Entry) -> bool:
        return bool(self.applicant_keys & other.applicant_keys)


def primary_key(keys: Iterable[str]) -> str:
    """The key that names whose record "本人/父亲" is: the identity document if known."""
    ordered = sorted(keys)
    return ordered[0] if ordered else ""


@dataclass(frozen=True)
class Match:
    """An earlier request compared with the new one."""

    earlier: Entry
    score: float
    topic_score: float
    differences: tuple[Difference, ...]
    shared: frozenset[str]
    same_document: bool = False

    @property
    def same(self) -> bool:
        """No fact differs and the subjects are alike — or both name the same document by its
        文号, which a title or a bare "…号文件" may surround with other words (rule 1)."""
        if self.differences:
            return False
        return self.topic_score >= SAME_THRESHOLD or self.same_document

    @property
    def rank(self) -> tuple[bool, float]:
        blended = (self.score + self.topic_score) / 2
        # Capped: a long request differs from a reworded look-alike in several facts at once,
        # and is still more alike than an unrelated request differing in one or two.
        penalty = DIFFERENCE_PENALTY * min(len(self.differences), PENALISED_DIFFERENCES)
        return (self.same, blended - penalty)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def compare(new: Entry, earlier: Entry) -> Match:
    found = differences(new.facts, earlier.facts, new.same_applicant(earlier))
    subject = subject_difference(new.topic, earlier.topic, new.topic_grams & earlier.topic_grams)
    if subject is not None:
        found.append(subject)
    score = similarity(new.grams, earlier.grams)
    # Requests that are all facts (2024年度部门预算) have no subject text: their whole text counts.
    both_topics = new.topic_grams and earlier.topic_grams
    return Match(
        earlier=earlier,
        score=score,
        topic_score=similarity(new.topic_grams, earlier.topic_grams) if both_topics else score,
        differences=tuple(found),
        shared=new.grams & earlier.grams,
        same_document=same_document(new.facts, earlier.facts),
    )


def ranked(new: Entry, candidates: Iterable[Entry], limit: int = SIMILAR_LIMIT) -> list[Match]:
    """The `limit` most similar earlier requests, those judged the same information first.
    A request is never its own match; requests that share nothing are left out."""
    # The facts are compared for the PREFILTER most alike by text only (a request judged the
    # same information always shares most of its subject text).
    alike = [
        (similarity(new.grams, c.grams) + similarity(new.topic_grams, c.topic_grams), c)
        for c in candidates
        if c.id != new.id
    ]
    alike.sort(key=lambda p: p[0], reverse=True)
    matches = [compare(new, c) for _s, c in alike[:PREFILTER]]
    matches = [m for m in matches if m.score > 0]
    matches.sort(key=lambda m: (m.rank, m.earlier.received_on, str(m.earlier.id)), reverse=True)
    return matches[:limit]


def highlighted(text: str, shared: frozenset[str]) -> list[tuple[str, bool]]:
    """The text cut into runs, each marked whether it is part of a shared bigram (the
    matching terms the officer sees highlighted)."""
    from casework.library.text import halfwidth

    plain = halfwidth(text)
    marks = [False] * len(plain)
    lowered = plain.lower()
    for i in range(len(lowered) - 1):
        if lowered[i : i + 2] in shared:
            marks[i] = marks[i + 1] = True
    runs: list[tuple[str, bool]] = []
    for ch, mark in zip(plain, marks, strict=True):
        if runs and runs[-1][1] == mark:
            runs[-1] = (runs[-1][0] + ch, mark)
        else:
            runs.append((ch, mark))
    return runs


def answered_before(replied_on: date | None, received_on: date | None) -> bool:
    """The one predicate of Art 36(6)'s "already answered" (the library, its evaluation and
    the decision rule all call it): the earlier request was replied to on a day before the new
    one was received. A reply on the day of receipt is not "before": the day alone cannot
    tell whether the applicant already held the answer when applying again, and a refusal
    under 36(6) must not rest on a guess."""
    return replied_on is not None and received_on is not None and replied_on < received_on


def is_answered_before(earlier: Entry, new: Entry) -> bool:
    """The earlier request was replied to before the new one arrived (Art 36(6))."""
    return answered_before(earlier.replied_on, new.received_on)


def is_open_when(earlier: Entry, new: Entry) -> bool:
    """The earlier request was still unanswered when the new one arrived (a reply on the same
    day is neither: not a repeat, and no longer open to merge into)."""
    return earlier.replied_on is None or earlier.replied_on > new.received_on


def repeat_of(new: Entry, matches: Sequence[Match]) -> Match | None:
    """The earlier request that makes `new` a repeat under Art 36(6): same applicant, same
    information, answered before `new` arrived. The latest such answer is cited."""
    found = [
        m
        for m in matches
        if m.same and new.same_applicant(m.earlier) and is_answered_before(m.earlier, new)
    ]
    found.sort(key=lambda m: (m.earlier.replied_on or date.min, m.score), reverse=True)
    return found[0] if found else None


def duplicates_of(new: Entry, matches: Sequence[Match]) -> list[Match]:
    """Same applicant, same information, not yet answered when `new` arrived: a duplicate to
    merge, not an Art 36(6) repeat."""
    return [
        m
        for m in matches
        if m.same and new.same_applicant(m.earlier) and is_open_when(m.earlier, new)
    ]


ROUTING_MIN_SCORE = 0.3


@dataclass(frozen=True)
class RoutingSuggestion:
    division: str
    weight: float
    evidence: tuple[Match, ...]


def routing_suggestion(matches: Sequence[Match]) -> RoutingSuggestion | None:
    """The division that answered the most similar earlier requests (weighted by score; the
    requests judged the same information count double), with those requests as evidence."""
    weights: dict[str, float] = {}
    evidence: dict[str, list[Match]] = {}
    for m in matches:
        if m.earlier.division is None or m.score < ROUTING_MIN_SCORE:
            continue
        w = m.score * (2.0 if m.same else 1.0)
        weights[m.earlier.division] = weights.get(m.earlier.division, 0.0) + w
        evidence.setdefault(m.earlier.division, []).append(m)
    if not weights:
        return None
    best = max(weights, key=lambda d: (weights[d], d))
    return RoutingSuggestion(best, weights[best], tuple(evidence[best]))
