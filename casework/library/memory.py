"""An in-memory library: an inverted index of bigrams over entries, for the evaluation
interface (`manage.py similar_eval`), the popular-topic grouping and small organs.

Candidates are the entries sharing the most bigrams with the request; a bigram in more than
COMMON_SHARE of the entries (公开, 文件) is too common to select by, unless it is all there is.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from casework.library.match import Entry, Match, compare, ranked
from casework.library.postings import COUNT_CAP, POSTINGS_PER_TERM, chosen_terms, entry_terms

CANDIDATES = 200
INDEX_CANDIDATES = 50  # casework.library.index.CANDIDATES
COMMON_SHARE = 0.2


class MemoryLibrary:
    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self.entries: dict[int | str, Entry] = {}
        self.postings: dict[str, set[int | str]] = defaultdict(set)
        self.terms: dict[int, set[int | str]] = defaultdict(set)  # as the database's postings
        for e in entries:
            self.add(e)

    def add(self, entry: Entry) -> None:
        self.remove(entry.id)
        self.entries[entry.id] = entry
        for g in entry.grams:
            self.postings[g].add(entry.id)
        for t in entry_terms(entry):
            self.terms[t].add(entry.id)

    def remove(self, id: int | str) -> None:
        old = self.entries.pop(id, None)
        if old is not None:
            for g in old.grams:
                self.postings[g].discard(id)
            for t in entry_terms(old):
                self.terms[t].discard(id)

    def indexed_candidates(self, entry: Entry, limit: int = INDEX_CANDIDATES) -> list[Entry]:
        """The candidates the organ's lookup finds (casework.library.postings, the same
        choice of terms, caps and weights), so the evaluation measures that lookup."""
        terms = entry_terms(entry)
        counts = {t: min(len(self.terms.get(t, ())), COUNT_CAP) for t in terms}
        weights: dict[int | str, float] = defaultdict(float)
        for term, weight in chosen_terms(terms, counts).items():
            earlier = [
                self.entries[i]
                for i in self.terms.get(term, ())
                if i != entry.id and self.entries[i].received_on <= entry.received_on
            ]
            earlier.sort(key=lambda e: (e.received_on, str(e.id)), reverse=True)
            for e in earlier[:POSTINGS_PER_TERM]:
                weights[e.id] += weight
        best = sorted(weights.items(), key=lambda kv: (-kv[1], str(kv[0])))[:limit]
        return [self.entries[i] for i, _w in best]

    def candidates(self, entry: Entry, limit: int = CANDIDATES) -> list[Entry]:
        common = max(50, int(len(self.entries) * COMMON_SHARE))
        counts: Counter[int | str] = Counter()
        rare = [g for g in entry.grams if len(self.postings.get(g, ())) <= common]
        for g in rare or entry.grams:
            counts.update(self.postings.get(g, ()))
        counts.pop(entry.id, None)
        return [self.entries[i] for i, _n in counts.most_common(limit)]

    def similar(self, entry: Entry, limit: int = 10) -> list[Match]:
        return ranked(entry, self.indexed_candidates(entry), limit)


POPULAR_WINDOW = timedelta(days=365)
POPULAR_MIN_APPLICANTS = 3


def popular_groups(
    entries: Iterable[Entry],
    today: date,
    window: timedelta = POPULAR_WINDOW,
    min_applicants: int = POPULAR_MIN_APPLICANTS,
    judge: Callable[[Entry, Entry], bool] | None = None,
) -> list[list[Entry]]:
    """Groups of requests for the same information from at least `min_applicants` distinct
    applicants received within `window` before `today` (Art 44: information several
    applicants ask for may be published proactively). Largest groups first."""
    recent = [e for e in entries if today - window <= e.received_on <= today]
    library = MemoryLibrary(recent)
    parent: dict[int | str, int | str] = {e.id: e.id for e in recent}

    def root(i: int | str) -> int | str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for e in recent:
        for other in library.candidates(e, limit=50):
            if (judge or _same)(e, other):
                parent[root(e.id)] = root(other.id)
    groups: dict[int | str, list[Entry]] = defaultdict(list)
    for e in recent:
        groups[root(e.id)].append(e)
    popular = [
        sorted(g, key=lambda e: (e.received_on, str(e.id)))
        for g in groups.values()
        if len({primary_of(e) for e in g}) >= min_applicants
    ]
    popular.sort(key=lambda g: (-len(g), g[0].received_on))
    return popular


def _same(a: Entry, b: Entry) -> bool:
    return compare(a, b).same


def primary_of(entry: Entry) -> str:
    return min(entry.applicant_keys) if entry.applicant_keys else f"#{entry.id}"
