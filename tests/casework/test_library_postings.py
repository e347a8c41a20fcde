"""The library's inverted index (casework.library.postings): terms of an entry, postings kept
with the entry (registered, corrected, deleted), the organ boundary, and the same applicant's
earlier request found among many look-alikes of other applicants. Runs on SQLite (a query per
term) and on PostgreSQL (one query for the counts, one for the postings)."""

from datetime import date

import pytest

from casework.library.index import candidates, entry_of_case, entry_refresh
from casework.library.match import Entry
from casework.library.models import LibraryEntry, LibraryPosting
from casework.library.postings import entry_terms, term_id
from casework.models import Case, Organ
from tests.conftest import person


def test_terms_are_the_applicant_keys_the_facts_and_the_bigrams():
    entry = Entry.of(1, "请公开济政发〔2024〕5号文件", ["id:resident_id:X"], date(2025, 1, 2))
    terms = entry_terms(entry)
    assert terms[term_id("a:id:resident_id:X")] == "a"
    assert any(kind == "f" for kind in terms.values())
    assert terms[term_id("g:文件")] == "g"
    # Stable across runs and machines (blake2b), signed 64-bit.
    assert term_id("g:文件") == term_id("g:文件")
    assert -(2**63) <= term_id("g:文件") < 2**63
    assert term_id("g:文件") != term_id("g:件文")


def _people(n: int) -> list[dict]:
    return [
        person(
            name=f"申请人{i}",
            id_type="passport",
            id_number=f"E{i:08d}",
            phone=f"1390000{i:04d}",
            email="",
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_postings_follow_the_case_and_find_the_same_applicant_among_look_alikes(
    receive_flow, organ
):
    mine = receive_flow(arrived=date(2026, 1, 5))
    for applicant in _people(30):  # look-alikes of other applicants, later than mine
        receive_flow(arrived=date(2026, 2, 2), applicant=applicant)
    again = receive_flow(arrived=date(2026, 3, 2))
    for pk in Case.objects.values_list("pk", flat=True):
        entry_refresh(pk)
    assert LibraryPosting.objects.filter(case_id=mine.pk).count() == len(
        entry_terms(entry_of_case(mine))
    )
    found = [e.id for e in candidates(entry_of_case(again), organ.pk, limit=5)]
    assert mine.pk in found  # the applicant's own earlier request is always a candidate
    assert again.pk not in found  # never itself, nor anything received after it

    # Corrected: the postings are the new text's.
    Case.objects.filter(pk=mine.pk).update(subject="2019年度光荣院建设资金使用情况")
    entry_refresh(mine.pk)
    terms = set(LibraryPosting.objects.filter(case_id=mine.pk).values_list("term", flat=True))
    assert term_id("g:光荣") in terms
    assert term_id("g:安置") not in terms
    # (Cases are never deleted — the ledger protects them — but a posting of a missing case
    # goes when its refresh finds no case.)
    LibraryPosting.objects.create(
        case_id=987654, term=term_id("g:光荣"), organ_id=organ.pk, received_on=date(2026, 1, 1)
    )
    entry_refresh(987654)
    assert not LibraryPosting.objects.filter(case_id=987654).exists()
    assert not LibraryEntry.objects.filter(case_id=987654).exists()


@pytest.mark.django_db
def test_the_lookup_never_leaves_the_organ(receive_flow, organ):
    mine = receive_flow(arrived=date(2026, 1, 5))
    again = receive_flow(arrived=date(2026, 3, 2))
    entry_refresh(mine.pk)
    entry_refresh(again.pk)
    elsewhere = Organ.objects.create(name="另一机关", short_name="另一")
    assert [e.id for e in candidates(entry_of_case(again), organ.pk, limit=10)] == [mine.pk]
    assert candidates(entry_of_case(again), elsewhere.pk, limit=10) == []
    # A case moved to another organ takes its postings along on the next refresh.
    Case.objects.filter(pk=mine.pk).update(organ=elsewhere)
    entry_refresh(mine.pk)
    assert candidates(entry_of_case(again), organ.pk, limit=10) == []
