"""The staff search box: one query string finds cases by number, subject, request text,
applicant (name, phone, e-mail, full ID number or credit code) and letter document number
(文号), among the cases the user may see.

Chinese is written without spaces, so matching is by substring, not by words: every term must
occur somewhere in one of the fields. On PostgreSQL the substring tests (`icontains`, which
Django writes as ``UPPER(col) LIKE UPPER('%term%')``) are served by pg_trgm GIN indexes on
``UPPER(col)`` (migrations casework 0012, letters 0009) for terms of three characters or
more; a trigram index cannot serve one or two characters, so those terms (安置, 李娟) are
looked up in GIN indexes of the text's 1- and 2-character pieces (same result as LIKE).
SQLite uses the plain lookups without an index (the demo's few cases).

Identity document numbers match in full only: a partial ID number is personal data a staff
member has no business fishing with (PIPL Art 6, data minimisation).

Numbers are written many ways: a document number's year in 〔〕, [], (), （） or 【】, digits
full- or half-width, spaces inside (依复 [2026] 2 号), a phone in groups (138-0013-8000). Such a
term is also looked up in the form the system stores (`number_forms`): 依复〔2026〕2号,
13800138000.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import TypeVar, cast, overload

from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Model,
    Q,
    QuerySet,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact

from casework.lifecycle.actors import Person
from casework.models import Applicant, Case
from casework.selectors import case_list_visible_to

Row = TypeVar("Row", bound=Model)

MAX_TERMS = 5
MAX_QUERY_LENGTH = 100


# A document number's year between brackets of any kind and width, spaces allowed around its
# parts: prefix, year, serial number, 号 (GB/T 9704 7.2.4 writes the year in 〔〕).
DOCUMENT_NUMBER = re.compile(
    r"(?P<year>[\[\(（［【〔〖]\s*\d{4}\s*[\]\)）］】〕〗])\s*(?P<serial>\d+)\s*号"
)
DIGIT_GROUPS = re.compile(r"\d+(?:[\s\-－—]+\d+)+")


def _narrow(text: str) -> str:
    """Full-width ASCII (digits, letters, brackets, hyphens) as half-width; nothing else."""
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" else ch for ch in text
    )


def _document_number(match: re.Match[str]) -> str:
    year = re.sub(r"\D", "", match.group("year"))
    return f"〔{year}〕{match.group('serial')}号"


def join_number_parts(q: str) -> str:
    """The query with the spaces inside a document number (依复 [2026] 2 号) or a grouped
    number (138 0013 8000) removed, so that each is one term."""
    q = _narrow(q.replace("\u3000", " "))
    q = re.sub(r"(\S)\s+(?=[\[\(（［【〔〖]\s*\d{4}\s*[\]\)）］】〕〗])", r"\1", q)
    q = DOCUMENT_NUMBER.sub(lambda m: re.sub(r"\s+", "", m.group(0)), q)
    return re.sub(r"\d+(?:\s+\d+)+", lambda m: re.sub(r"\s+", "", m.group(0)), q)


def number_forms(term: str) -> list[str]:
    """`term`, and the form the system stores it in when it is written otherwise: a document
    number's year in 〔〕 with half-width digits; a grouped number's digits together."""
    forms = [term]
    narrow = _narrow(term)
    stored = DOCUMENT_NUMBER.sub(_document_number, narrow)
    if DIGIT_GROUPS.fullmatch(stored):
        stored = re.sub(r"\D", "", stored)
    for form in (narrow, stored):
        if form not in forms:
            forms.append(form)
    return forms


def search_terms(q: str) -> list[str]:
    """The terms of a query: split on white space (ASCII and the ideographic space U+3000)
    once the parts of a number are joined, at most MAX_TERMS, each at most MAX_QUERY_LENGTH
    characters."""
    return [t for t in join_number_parts(q).split()[:MAX_TERMS] if t][:MAX_TERMS]


def _letter_case_ids(term: str) -> QuerySet[Model] | None:
    """Case ids of letters whose document number contains `term`. The core does not import
    the letters floor: it follows the reverse relation `Case.letters` when that app is
    installed."""
    relation = Case._meta.fields_map.get("letters")
    if relation is None:
        return None
    model = relation.related_model
    if not isinstance(model, type):
        return None
    return model._default_manager.filter(number__icontains=term).order_by()


# PostgreSQL, terms of one or two characters: the array of 1- and 2-character pieces of the
# text, GIN-indexed (migration casework 0012; the expressions must stay identical to the indexes').
SHORT_TERM = 2
# The LIKE beside each array test is for the plans that walk another index (newest first)
# and filter row by row: PostgreSQL evaluates the cheap LIKE first and computes the pieces
# only for the rows that match.
SHORT_CASE_TEXT = (
    """UPPER("subject"::text || ' ' || "description") LIKE %s"""
    """ AND casework_short_grams(UPPER("subject"::text || ' ' || "description")) @> ARRAY[%s]"""
)
SHORT_APPLICANT_NAME = (
    'UPPER("name"::text) LIKE %s AND casework_short_grams(UPPER("name"::text)) @> ARRAY[%s]'
)


def _like_contains(upper: str) -> str:
    escaped = upper.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


MAX_ID_LIST = 10_000


def _ids(queryset: QuerySet[Row, int]) -> list[int] | QuerySet[Row, int]:
    """The ids as a list when there are not too many: `col = ANY(list)` can join the other
    conditions in one PostgreSQL BitmapOr, where a subquery cannot."""
    ids = list(queryset[: MAX_ID_LIST + 1])
    return ids if len(ids) <= MAX_ID_LIST else queryset


def _term_filter(term: str) -> Q:
    """Cases matching `term`: their own text, their applicant's details, their letters'
    document numbers. Each part is served by an index on PostgreSQL and the parts are ORed
    on the cases table, so a rare term reads a handful of rows and a common one a bitmap."""
    upper = term.upper()
    if connection.vendor == "postgresql" and len(term) <= SHORT_TERM:
        # Too short for a number, phone, e-mail or document number: text and names only.
        text = Q(
            Exact(
                RawSQL(  # noqa: S611 - constant SQL, the term is a parameter
                    SHORT_CASE_TEXT, [_like_contains(upper), upper], output_field=BooleanField()
                ),
                True,
            )
        )
        applicants = Applicant.objects.filter(
            Exact(
                RawSQL(  # noqa: S611 - constant SQL, the term is a parameter
                    SHORT_APPLICANT_NAME,
                    [_like_contains(upper), upper],
                    output_field=BooleanField(),
                ),
                True,
            )
        )
        letters = None
    else:
        text = (
            Q(number__icontains=term) | Q(subject__icontains=term) | Q(description__icontains=term)
        )
        applicants = Applicant.objects.filter(
            Q(name__icontains=term)
            | Q(phone__icontains=term)
            | Q(email__icontains=term)
            | Q(id_number=upper)
            | Q(id_number=term)
            | Q(credit_code=upper)
        )
        letters = _letter_case_ids(term)
    match = text
    applicant_ids = _ids(applicants.values_list("pk", flat=True).order_by())
    if applicant_ids:
        match |= Q(applicant_id__in=applicant_ids)
    if letters is not None:
        letter_case_ids = _ids(letters.values_list("case_id", flat=True))
        if letter_case_ids:
            match |= Q(pk__in=letter_case_ids)
    return match


def case_search_filter(cases: QuerySet[Case], q: str) -> QuerySet[Case]:
    """`cases` narrowed to those matching every term of `q` (all of them for an empty q)."""
    for term in search_terms(q[:MAX_QUERY_LENGTH]):
        match = Q()
        for form in number_forms(term):
            match |= _term_filter(form)
        cases = cases.filter(match)
    return cases


def case_search(*, user: Person, q: str) -> QuerySet[Case]:
    """The cases visible to `user` (case_list_visible_to) that match every term of `q`.
    An empty query returns all visible cases."""

    return case_search_filter(case_list_visible_to(user=user), q)


@contextmanager
def _index_plans() -> Iterator[None]:
    """Plans from the search indexes for the rest of this transaction (PostgreSQL): no
    sequential scan of the cases where an index serves (enable_seqscan only makes it a last
    resort) and no parallel plan. Every test of a search has its index (trigrams, the short
    pieces, the applicant and letter ids), but the planner prices LIKE over a long text as
    cheap as any comparison, so for a common term it preferred reading all 100,000 cases:
    on the 2-core reference machine, office user, a 3-character phrase matching 5,490 cases
    took 152 ms by a sequential scan (90 ms in parallel) and 16 ms from the trigram bitmap; a
    4-character word matching 5,683, 109 ms in parallel and 12.5 ms from the bitmap."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            cursor.execute("SET LOCAL enable_seqscan = off")
    yield


class _CountedIds(Sequence[int]):
    """The ids of one page with the total count of the list, for django's Paginator."""

    def __init__(self, total: int, offset: int, ids: list[int]) -> None:
        self.total, self.offset, self.ids = total, offset, ids

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            start = (index.start or 0) - self.offset
            stop = (index.stop if index.stop is not None else self.total) - self.offset
            return self.ids[max(start, 0) : max(stop, 0)]
        return self.ids[index - self.offset]


def case_page(
    cases: QuerySet[Case], number: str | int | None, *, size: int, searched: bool = False
) -> Page[Case]:
    """One page of `cases`, newest first (a django Page whose object_list holds the cases).

    Ids first, then the page's rows with their related rows (joining them before the sort
    would join every match). For a search (`searched`: the matches come from the search
    indexes) one query gives the page's ids and the total (a window count over one bitmap
    scan), where count() and the page would scan the matches twice; the sort key is an
    expression so that PostgreSQL does not walk the whole date index to feed the window.
    For a plain list the page walks the date index and stops after `size` rows."""

    try:
        wanted_number = max(1, int(number or 1))  # None or "": the first page
    except (TypeError, ValueError):
        wanted_number = 1
    offset = (wanted_number - 1) * size
    ordered = cases.order_by("-created_at", "-pk")
    found: list[tuple[int, int]] = []
    if searched:
        newest = ExpressionWrapper(F("created_at") + timedelta(0), output_field=DateTimeField())
        with transaction.atomic(), _index_plans():
            found = list(
                cases.annotate(total=Window(Count("pk")), newest=newest)
                .order_by("-newest", "-pk")
                .values_list("pk", "total")[offset : offset + size]
            )
    if found:
        total = found[0][1]
    else:  # a plain list, an empty search, or a page past the end
        total = cases.count()
        wanted_number = min(wanted_number, max(1, math.ceil(total / size)))
        offset = (wanted_number - 1) * size
        found = [(pk, total) for pk in ordered.values_list("pk", flat=True)[offset : offset + size]]
    ids = [pk for pk, _total in found]
    page = Paginator(_CountedIds(total, offset, ids), size).get_page(wanted_number)
    rows = cases.order_by().in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids]  # type: ignore[misc]
    return cast("Page[Case]", page)  # its object_list now holds the cases
