"""The library's inverted index on PostgreSQL: one posting per (case, term), so the candidate
lookup reads a bounded number of rows however many cases the organ has (issue 25 point 8:
lookup p95 ≤ 150 ms at 100,000 cases, growth from 10,000 to 100,000 sub-linear).

Terms of an entry (hashed to a signed 64-bit integer): each applicant key (the same applicant's
requests, for Art 36(6) and duplicates), each fact (文号, period, place, stage…) and each
character bigram of the normalised text. A lookup (one query on PostgreSQL, LOOKUP_SQL)

1. counts, for each term of the new request, its postings in the organ up to COUNT_CAP (a
   bounded index-only scan per term: rarity only matters below the cap);
2. reads the newest POSTINGS_PER_TERM postings of the applicant and fact terms and of the
   RARE_GRAMS rarest bigrams (all bigrams with fewer than COUNT_CAP postings when there are
   fewer of them), each weighted by its rarity;
3. returns the CANDIDATES entries with the highest summed weight.

Every step reads at most (terms × cap) index entries through the B-tree
`(organ, term, received_on)`, so the cost does not grow with the organ beyond the B-tree's
depth. The trigram GiST scan it replaces grew ×9.6 from 10,000 to 100,000 cases (ADR 0009).
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Iterable
from datetime import date

from django.db import connection

from casework.library.match import Entry

COUNT_CAP = 250
POSTINGS_PER_TERM = 250
RARE_GRAMS = 12
APPLICANT_WEIGHT = 4.0
FACT_WEIGHT = 1.5
TABLE = "case_library_libraryposting"
# The parameters of LOOKUP_SQL: term ids and kinds (arrays), ids, dates, the limit.
SqlParam = int | date | list[int] | list[str]


@functools.lru_cache(maxsize=1 << 16)
def term_id(term: str) -> int:
    """A stable signed 64-bit id of a term (blake2b; the same on every machine and run).
    Cached: the bigrams of an organ's requests are a few thousand, hashed once each (a third
    of the time of indexing a case otherwise)."""
    digest = hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def entry_terms(entry: Entry) -> dict[int, str]:
    """The entry's terms by id, each with its kind: "a" applicant, "f" fact, "g" bigram."""
    terms: dict[int, str] = {}
    for key in entry.applicant_keys:
        terms[term_id(f"a:{key}")] = "a"
    facts = entry.facts.as_json()
    for kind, values in facts.items():
        if kind == "persons":  # whose record: bound to the applicant key already
            continue
        for value in values:
            terms.setdefault(term_id(f"f:{kind}:{value}"), "f")
    for gram in entry.grams:
        terms.setdefault(term_id(f"g:{gram}"), "g")
    return terms


def postings_replace(case_id: int, organ_id: int, received_on: date, entry: Entry) -> None:
    """Write the case's postings afresh (inside the caller's transaction)."""
    postings_write([(case_id, organ_id, received_on, entry)], replace=True)


def postings_write(rows: Iterable[tuple[int, int, date, Entry]], *, replace: bool) -> int:
    """Insert the postings of several entries; with `replace`, delete their old ones first."""
    rows = list(rows)
    if not rows:
        return 0
    values: list[tuple[int, int, int, date]] = []
    for case_id, organ_id, received_on, entry in rows:
        for term in entry_terms(entry):
            values.append((case_id, term, organ_id, received_on))
    with connection.cursor() as c:
        if replace:
            ids = [r[0] for r in rows]
            c.execute(
                f"DELETE FROM {TABLE} WHERE case_id IN ({', '.join(['%s'] * len(ids))})",  # noqa: S608
                ids,
            )
        if values and connection.vendor == "postgresql":
            c.execute(
                f"INSERT INTO {TABLE} (case_id, term, organ_id, received_on) "  # noqa: S608
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::date[]) "
                "ON CONFLICT DO NOTHING",
                [list(col) for col in zip(*values, strict=True)],
            )
        elif values:
            c.executemany(
                f"INSERT INTO {TABLE} (case_id, term, organ_id, received_on) "  # noqa: S608
                "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                values,
            )
    return len(values)


def chosen_terms(terms: dict[int, str], counts: dict[int, int]) -> dict[int, float]:
    """The terms to read and their weights: every applicant and fact term the organ has, and
    the rarest bigrams (idf-like weight 1 / ln(2 + postings))."""
    chosen: dict[int, float] = {}
    grams = []
    for term, kind in terms.items():
        n = counts.get(term, 0)
        if n == 0:
            continue
        if kind == "a":
            chosen[term] = APPLICANT_WEIGHT
        elif kind == "f":
            chosen[term] = FACT_WEIGHT / math.log(2 + n)
        else:
            grams.append((n, term))
    grams.sort()
    rare = [g for g in grams if g[0] < COUNT_CAP]
    for n, term in (rare if len(rare) >= RARE_GRAMS else grams)[: max(RARE_GRAMS, len(rare))]:
        chosen[term] = 1 / math.log(2 + n)
    return chosen


# The same choice as `chosen_terms`, made in the database so that a lookup is one query.
LOOKUP_SQL = f"""
WITH q AS (
    SELECT t, k FROM unnest(%s::bigint[], %s::text[]) AS q(t, k)
), counted AS (
    SELECT q.t, q.k, (SELECT count(*) FROM (
        SELECT 1 FROM {TABLE} p WHERE p.organ_id = %s AND p.term = q.t LIMIT {COUNT_CAP}
    ) c) AS n
    FROM q
), grams AS (
    SELECT t, n, row_number() OVER (ORDER BY n, t) AS r FROM counted WHERE k = 'g' AND n > 0
), rare AS (
    SELECT count(*) AS m FROM grams WHERE n < {COUNT_CAP}
), chosen AS (
    SELECT t, CASE k WHEN 'a' THEN {APPLICANT_WEIGHT}::float8
                     ELSE {FACT_WEIGHT}::float8 / ln(2 + n) END AS w
    FROM counted WHERE k <> 'g' AND n > 0
    UNION ALL
    SELECT g.t, 1 / ln(2 + g.n) FROM grams g, rare
    WHERE (rare.m >= {RARE_GRAMS} AND g.n < {COUNT_CAP}) OR (rare.m < {RARE_GRAMS} AND g.r <= {RARE_GRAMS})
)
SELECT p.case_id, sum(q.w) AS weight
FROM chosen AS q
CROSS JOIN LATERAL (
    SELECT p.case_id FROM {TABLE} p
    WHERE p.organ_id = %s AND p.term = q.t
      AND p.received_on <= %s AND (p.received_on < %s OR p.case_id < %s)
    ORDER BY p.received_on DESC, p.case_id DESC
    LIMIT {POSTINGS_PER_TERM}
) p
GROUP BY p.case_id
ORDER BY weight DESC, p.case_id DESC
LIMIT %s
"""  # noqa: S608


def candidate_query(entry: Entry, organ_id: int, limit: int) -> tuple[str, list[SqlParam]] | None:
    """PostgreSQL: the one query of the candidates' ids and weights, best first (the terms
    counted and chosen in the database as `chosen_terms` does); None without terms."""
    terms = entry_terms(entry)
    if not terms:
        return None
    own_id = entry.id if isinstance(entry.id, int) else 0
    return LOOKUP_SQL, [
        list(terms),
        list(terms.values()),
        organ_id,
        organ_id,
        entry.received_on,
        entry.received_on,
        own_id,
        limit,
    ]


def candidate_ids(entry: Entry, organ_id: int, limit: int) -> list[int]:
    """The ids of the organ's earlier entries most like `entry`, best first: one query on
    PostgreSQL, a query per term elsewhere."""
    if connection.vendor != "postgresql":
        return _candidate_ids_per_term(entry, organ_id, limit, entry_terms(entry))
    query = candidate_query(entry, organ_id, limit)
    if query is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*query)
        return [row[0] for row in cursor.fetchall()]


def _candidate_ids_per_term(
    entry: Entry, organ_id: int, limit: int, terms: dict[int, str]
) -> list[int]:
    """The same lookup as `candidate_ids` in portable SQL (SQLite: tests and the demo)."""
    if not terms:
        return []
    own_id = entry.id if isinstance(entry.id, int) else 0
    counts: dict[int, int] = {}
    with connection.cursor() as cursor:
        for term in terms:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE organ_id = %s "  # noqa: S608
                f"AND term = %s LIMIT {COUNT_CAP}) c",
                [organ_id, term],
            )
            counts[term] = cursor.fetchone()[0]
        weights: dict[int, float] = {}
        for term, weight in chosen_terms(terms, counts).items():
            cursor.execute(
                f"SELECT case_id FROM {TABLE} WHERE organ_id = %s AND term = %s "  # noqa: S608
                "AND received_on <= %s AND (received_on < %s OR case_id < %s) "
                f"ORDER BY received_on DESC, case_id DESC LIMIT {POSTINGS_PER_TERM}",
                [organ_id, term, entry.received_on, entry.received_on, own_id],
            )
            for (case_id,) in cursor.fetchall():
                weights[case_id] = weights.get(case_id, 0.0) + weight
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], -kv[0]))
    return [case_id for case_id, _w in ranked[:limit]]
