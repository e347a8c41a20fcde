"""The staff search box: one query string finds cases by number, subject, request text,
applicant (name, phone, e-mail, full ID number or credit code) and letter document number
(文号), among the cases the user may see.

Chinese is written without spaces, so matching is by substring, not by words: every term must
occur somewhere in one of the fields. On PostgreSQL the substring tests (`icontains`, which
Django writes as ``UPPER(col) LIKE UPPER('%term%')``) are served by pg_trgm GIN indexes on
``UPPER(col)`` (migration casework 0010, letters 0003) for terms of three characters or more;
shorter terms are rare enough in a real query log and still cheap, because the case table's
own text columns are short. SQLite uses the same lookups without an index.

Identity document numbers match in full only: a partial ID number is personal data a staff
member has no business fishing with (PIPL Art 6, data minimisation).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from casework.models import Applicant, Case

MAX_TERMS = 5
MAX_QUERY_LENGTH = 100


def search_terms(q: str) -> list[str]:
    """The terms of a query: split on white space (ASCII and the ideographic space U+3000),
    at most MAX_TERMS, each at most MAX_QUERY_LENGTH characters."""
    return [t for t in q.replace("\u3000", " ").split()[:MAX_TERMS] if t][:MAX_TERMS]


def _letter_case_ids(term: str) -> QuerySet[Any] | None:
    """Case ids of letters whose document number contains `term`. The core does not import
    the letters floor: it follows the reverse relation `Case.letters` when that app is
    installed."""
    relation = Case._meta.fields_map.get("letters")
    if relation is None:
        return None
    model: Any = relation.related_model
    return model.objects.filter(number__icontains=term).values("case_id")  # type: ignore[no-any-return]


def _term_filter(term: str) -> Q:
    upper = term.upper()
    applicants = Applicant.objects.filter(
        Q(name__icontains=term)
        | Q(phone__icontains=term)
        | Q(email__icontains=term)
        | Q(id_number=upper)
        | Q(id_number=term)
        | Q(credit_code=upper)
    ).values("pk")
    match = (
        Q(number__icontains=term)
        | Q(subject__icontains=term)
        | Q(description__icontains=term)
        | Q(applicant_id__in=applicants)
    )
    letters = _letter_case_ids(term)
    if letters is not None:
        match |= Q(pk__in=letters)
    return match


def case_search_filter(cases: QuerySet[Case], q: str) -> QuerySet[Case]:
    """`cases` narrowed to those matching every term of `q` (all of them for an empty q)."""
    for term in search_terms(q[:MAX_QUERY_LENGTH]):
        cases = cases.filter(_term_filter(term))
    return cases


def case_search(*, user: Any, q: str) -> QuerySet[Case]:
    """The cases visible to `user` (case_list_visible_to) that match every term of `q`.
    An empty query returns all visible cases."""
    from casework.selectors import case_list_visible_to  # selectors imports this module

    return case_search_filter(case_list_visible_to(user=user), q)
