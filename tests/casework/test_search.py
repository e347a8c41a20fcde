"""The staff search box (casework.search): every field it promises, Chinese without spaces,
full ID numbers only, and only the cases the user may see."""

from datetime import date

import pytest

from casework.models import Case
from casework.search import case_search, number_forms, search_terms
from tests.conftest import NOW, VALID_RESIDENT_ID, VALID_USCC, company, person


@pytest.fixture
def cases(receive, fire, divisions, users):
    """Case a (division a, a person), case b (division b, a company), with distinct text."""
    a = receive(
        arrived=date(2026, 3, 2),
        applicant=person(name="王秀英", phone="13906400002", email="wxy@example.org"),
    )
    Case.objects.filter(pk=a.pk).update(
        subject="本市2025年退役士兵安置计划及落实情况", description="请提供光荣院入住条件原件"
    )
    fire(a, "register", "registrar", on=date(2026, 3, 2))
    fire(a, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    b = receive(arrived=date(2026, 3, 9), applicant=company())
    Case.objects.filter(pk=b.pk).update(subject="优抚对象抚恤补助资金拨付明细", description="")
    fire(b, "register", "registrar", on=date(2026, 3, 9))
    fire(b, "assign", "reviewer", on=date(2026, 3, 9), lead_division_id=divisions["b"].pk)
    return {"a": a, "b": b}


def _found(user, q):
    return set(case_search(user=user, q=q).values_list("number", flat=True))


@pytest.mark.django_db
def test_finds_each_field_without_spaces(cases, users):
    a, b = cases["a"].number, cases["b"].number
    office = users["reviewer"]
    expected = {
        a: a,  # the case number
        "安置计划": a,  # a word inside the subject, Chinese without spaces
        "安置": a,  # two characters
        "恤": b,  # one character
        "抚恤补助资金": b,
        "光荣院入住": a,  # the request text (description)
        "王秀英": a,  # applicant name
        "秀英": a,
        "济南某某科技": b,  # an organisation's name
        "13906400002": a,  # phone
        "0531-88886666": b,
        "wxy@example.org": a,  # e-mail
        "WXY@EXAMPLE": a,
        VALID_USCC: b,  # credit code, full
    }
    for q, number in expected.items():
        assert _found(office, q) == {number}, q


@pytest.mark.django_db
def test_id_numbers_match_in_full_only(cases, users):
    office = users["reviewer"]
    assert _found(office, VALID_RESIDENT_ID) == {cases["a"].number}
    assert _found(office, VALID_RESIDENT_ID.lower()) == {cases["a"].number}
    assert _found(office, VALID_RESIDENT_ID[:10]) == set()
    assert _found(office, VALID_RESIDENT_ID[-6:]) == set()


@pytest.mark.django_db
def test_finds_the_document_number_of_a_letter(cases, users):
    from letters.services import letter_issue

    letter = letter_issue(
        number=cases["b"].number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    office = users["reviewer"]
    assert _found(office, letter.number) == {cases["b"].number}
    tail = letter.number[-6:]  # e.g. 〔2026〕1号: part of the number finds it too
    assert cases["b"].number in _found(office, tail)


@pytest.mark.django_db
def test_every_term_must_match_and_empty_query_lists_all_visible(cases, users):
    office = users["reviewer"]
    assert _found(office, "安置　王秀英") == {cases["a"].number}  # ideographic space
    assert _found(office, "安置 抚恤") == set()
    assert _found(office, "%") == set()  # a LIKE wildcard is a plain character here
    assert _found(office, "_") == set()
    assert _found(office, "") == {cases["a"].number, cases["b"].number}
    assert search_terms(" a  b\u3000c d e f g ") == ["a", "b", "c", "d", "e"]


@pytest.mark.django_db
def test_only_cases_the_user_may_see(cases, users):
    assert _found(users["liaison_a"], "安置") == {cases["a"].number}
    assert _found(users["liaison_b"], "安置") == set()
    assert _found(users["liaison_b"], cases["a"].number) == set()
    assert _found(users["liaison_b"], "13906400002") == set()
    assert _found(users["nobody"], "安置") == set()


@pytest.mark.django_db
def test_the_box_in_the_staff_header_searches_the_case_list(client, cases, users):
    client.force_login(users["liaison_a"])
    page = client.get("/work/").content.decode()
    assert 'role="search"' in page
    assert 'action="/cases/"' in page
    assert 'name="q"' in page
    page = client.get("/cases/", {"q": "王秀英"}).content.decode()
    assert cases["a"].number in page
    assert "共 1 件" in page
    client.force_login(users["liaison_b"])
    page = client.get("/cases/", {"q": "王秀英"}).content.decode()
    assert cases["a"].number not in page
    assert "共 0 件" in page


@pytest.mark.django_db
def test_case_page_counts_and_pages_newest_first(receive, users):
    from casework.search import case_page

    made = [receive(arrived=date(2026, 3, 2)) for _ in range(5)]
    newest_first = [c.number for c in reversed(made)]
    cases = case_search(user=users["reviewer"], q="")
    pages = [case_page(cases, n, size=2, searched=True) for n in (1, 2, 3)]
    assert [[c.number for c in p.object_list] for p in pages] == [
        [c.number for c in case_page(cases, n, size=2).object_list] for n in (1, 2, 3)
    ]
    assert [p.paginator.count for p in pages] == [5, 5, 5]
    assert [[c.number for c in p.object_list] for p in pages] == [
        newest_first[:2],
        newest_first[2:4],
        newest_first[4:],
    ]
    assert pages[0].has_next()
    assert not pages[2].has_next()
    past = case_page(cases, 9, size=2, searched=True)  # past the end: the last page
    assert (past.number, [c.number for c in past.object_list]) == (3, newest_first[4:])
    assert case_page(cases, "x", size=2).number == 1
    empty = case_page(case_search(user=users["liaison_b"], q=""), 1, size=2)
    assert (empty.paginator.count, list(empty.object_list)) == (0, [])


@pytest.mark.django_db
def test_a_search_page_is_planned_from_the_indexes(receive, users):
    """On PostgreSQL the search's page query runs after SET LOCAL enable_seqscan = off and
    max_parallel_workers_per_gather = 0 (the planner preferred reading every case, 5-10 times
    slower than the trigram bitmap); SQLite has no such settings and is sent none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.search import case_page

    receive(arrived=date(2026, 3, 2))
    cases = case_search(user=users["reviewer"], q="")
    with CaptureQueriesContext(connection) as queries:
        page = case_page(cases, 1, size=2, searched=True)
    assert page.paginator.count == 1
    sent = [q["sql"] for q in queries]
    settings = [i for i, sql in enumerate(sent) if sql.startswith("SET LOCAL")]
    if connection.vendor == "postgresql":
        window = next(i for i, sql in enumerate(sent) if "OVER" in sql.upper())
        assert len(settings) == 2
        assert max(settings) < window
        with connection.cursor() as cursor:  # for the rest of this (the test's) transaction
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] == "0"
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "off"
    else:
        assert settings == []


@pytest.mark.django_db
def test_document_numbers_and_phones_are_found_however_written(cases, users):
    from letters.services import letter_issue

    letter = letter_issue(
        number=cases["b"].number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    prefix, rest = letter.number.split("〔")
    year, serial = rest.rstrip("号").split("〕")
    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    office = users["reviewer"]
    for q in (
        f"{prefix}[{year}]{serial}号",
        f"{prefix}({year}){serial}号",
        f"{prefix}（{year}）{serial}号",
        f"{prefix}【{year}】{serial}号",
        f"{prefix}〔{year}〕{serial}号".translate(full_width),
        f"{prefix} [ {year} ] {serial} 号",
        f"{prefix}　〔{year}〕　{serial}号",
        f"[{year}]{serial}号",
    ):
        assert cases["b"].number in _found(office, q), q
    # Another serial number is another letter.
    assert cases["b"].number not in _found(office, f"{prefix}[{year}]{int(serial) + 40}号")
    # A phone in groups, full-width digits; a case number in full-width digits.
    assert _found(office, "139 0640 0002") == {cases["a"].number}
    assert _found(office, "139-0640-0002") == {cases["a"].number}
    assert _found(office, "13906400002".translate(full_width)) == {cases["a"].number}
    assert _found(office, cases["a"].number.translate(full_width).replace("-", "－")) == {
        cases["a"].number
    }
    # Two words stay two terms: both must match.
    assert _found(office, "安置 抚恤") == set()


def test_joining_number_parts_keeps_words_apart():
    assert search_terms("依复 [2026] 2 号 王秀英") == ["依复[2026]2号", "王秀英"]
    assert number_forms("依复[2026]2号")[-1] == "依复〔2026〕2号"
    assert number_forms("１３９-0640-0002")[-1] == "13906400002"
    assert search_terms("138 0013 8000") == ["13800138000"]
    assert search_terms("安置 2025") == ["安置", "2025"]
