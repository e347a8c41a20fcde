"""Issue 24 point 9: the 已办 list, the printable 办理审批单 (a real PDF read back with
pdftotext) and 常用语 offered beside every text area of the action forms."""

from __future__ import annotations

import shutil
import subprocess

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from casework.choices import Disposition as D
from casework.models import Event
from tests.provision import BY_POST
from workflows.decide.phrases import CommonPhrase


@pytest.fixture
def signed_off(receive_flow, act, divisions, users):
    """A case proposed, returned, proposed again, reviewed and signed off: still in progress."""
    users["reviewer"].last_name, users["reviewer"].first_name = "王", "审核"
    users["reviewer"].save()
    users["head"].last_name, users["head"].first_name = "李", "主任"
    users["head"].save()
    case = receive_flow()
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a")
    act(case, "propose", "liaison_a", disposition=D.GRANTED, basis="", reasons="初稿", **BY_POST)
    act(case, "return_for_revision", "reviewer", reason="请写明提供的文件")
    act(
        case,
        "propose",
        "liaison_a",
        disposition=D.GRANTED,
        basis="",
        files="《2025年退役士兵安置计划》",
        **BY_POST,
    )
    act(case, "check", "reviewer", comment="经审核，同意予以公开。")
    act(case, "approve", "head", comment="同意。")
    case.refresh_from_db()
    return case


def _text(pdf: bytes, tmp_path) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed"
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.django_db
def test_the_approval_sheet_lists_every_opinion_with_person_and_time(
    signed_off, users, client, tmp_path
):
    client.force_login(users["registrar"])
    response = client.get(f"/work/cases/{signed_off.number}/approval-sheet.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content, tmp_path)
    squeezed = "".join(text.split())
    assert "政府信息公开申请办理审批单" in squeezed
    assert signed_off.number in squeezed
    assert "请写明提供的文件" in squeezed  # the return for revision
    assert "《2025年退役士兵安置计划》" in squeezed  # the proposal
    assert "经审核，同意予以公开。" in squeezed  # the review comment
    assert "同意。" in squeezed  # the sign-off comment
    assert "王审核" in squeezed  # family name first
    assert "李主任" in squeezed
    approve = Event.objects.get(case=signed_off, kind="approve")
    from django.utils import timezone

    assert timezone.localtime(approve.entered_at).strftime("%Y-%m-%d%H:%M") in squeezed
    assert signed_off.status == "approved"  # in progress: not yet replied
    # The case page offers it.
    page = client.get(f"/cases/{signed_off.number}/").content.decode()
    assert f"/work/cases/{signed_off.number}/approval-sheet.pdf" in page
    assert "打印办理审批单（PDF）" in page


@pytest.mark.django_db
def test_the_approval_sheet_is_for_staff_who_see_the_case(signed_off, users, client):
    client.force_login(users["liaison_b"])  # another division
    assert client.get(f"/work/cases/{signed_off.number}/approval-sheet.pdf").status_code == 404
    client.force_login(users["nobody"])
    assert client.get(f"/work/cases/{signed_off.number}/approval-sheet.pdf").status_code == 404


@pytest.mark.django_db
def test_the_done_list_shows_my_steps_newest_first_paginated(signed_off, users, client):
    client.force_login(users["reviewer"])
    response = client.get("/work/done/")
    assert response.status_code == 200
    labels = [row["label"] for row in response.context["rows"]]
    reviewer_events = Event.objects.filter(actor=users["reviewer"]).order_by("-entered_at", "-pk")
    assert len(labels) == reviewer_events.count() == 3  # assign, return, check
    assert labels[0] == "审核通过"
    assert labels[-1] == "交办处室"
    html = response.content.decode()
    assert "已办" in html
    assert f"/cases/{signed_off.number}/" in html
    # Nobody else's steps.
    client.force_login(users["head"])
    assert [r["label"] for r in client.get("/work/done/").context["rows"]] == ["审签同意"]
    # The workbench offers the list.
    assert "/work/done/" in client.get("/work/").content.decode()


@pytest.mark.django_db
def test_the_done_list_costs_the_same_queries_whatever_its_length(
    signed_off, users, client, receive_flow, act
):
    client.force_login(users["registrar"])
    with CaptureQueriesContext(connection) as few:
        client.get("/work/done/")
    for _ in range(4):
        act(receive_flow(), "register", "registrar")
    with CaptureQueriesContext(connection) as more:
        response = client.get("/work/done/")
    assert len(response.context["rows"]) == 2 + 4 * 2  # receive and register of each case
    assert len(more.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_the_done_list_pages(users, client, signed_off):
    from workflows.decide import views

    client.force_login(users["reviewer"])
    old = views.DONE_PAGE_SIZE
    views.DONE_PAGE_SIZE = 2
    try:
        first = client.get("/work/done/")
        second = client.get("/work/done/?page=2")
    finally:
        views.DONE_PAGE_SIZE = old
    assert [r["label"] for r in first.context["rows"]] == ["审核通过", "退回修改"]
    assert [r["label"] for r in second.context["rows"]] == ["交办处室"]


@pytest.mark.django_db
def test_the_done_list_reads_the_actor_index_on_postgresql(users):
    from workflows.decide.done import done_events

    sql, params = done_events(users["reviewer"])[:50].query.sql_with_params()
    if connection.vendor == "sqlite":  # SQLite's planner reads the same index
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        assert "event_actor_entered_idx" in plan, plan
        return
    with connection.cursor() as cursor:
        # A handful of test rows makes any plan cheap: leave the planner only plans that read
        # the index (a Sort is then chosen only if the index cannot give the order itself).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "event_actor_entered_idx" in plan, plan
    assert "Sort" not in plan.split("event_actor_entered_idx")[0], plan


@pytest.mark.django_db
def test_common_phrases_are_offered_in_every_text_area(signed_off, organ, users, client):
    CommonPhrase.objects.create(organ=organ, text="同意。", position=1)
    CommonPhrase.objects.create(organ=organ, owner=users["head"], text="请按审核意见办理。")
    CommonPhrase.objects.create(organ=organ, owner=users["reviewer"], text="不给主任看的常用语")
    client.force_login(users["head"])
    html = client.get(f"/work/cases/{signed_off.number}/act/urge/").content.decode()
    assert 'id="common-phrases"' in html
    own, shared = html.index("请按审核意见办理。"), html.index("<li>同意。</li>")
    assert own < shared  # the user's own first
    assert "不给主任看的常用语" not in html
    assert "/static/decide/phrases.js" in html
    assert "<script>" not in html  # no inline script (CSP)


@pytest.mark.django_db
def test_an_officer_keeps_own_phrases(organ, users, client):
    CommonPhrase.objects.create(organ=organ, text="同意。")
    client.force_login(users["liaison_a"])
    assert client.post("/work/phrases/", {"text": "  请补充 检索范围。 "}).status_code == 302
    mine = CommonPhrase.objects.get(owner=users["liaison_a"])
    assert mine.text == "请补充 检索范围。"
    repeated = client.post("/work/phrases/", {"text": "同意。"})
    assert repeated.status_code == 400
    assert "该常用语已在列表中。" in repeated.content.decode()
    page = client.get("/work/phrases/").content.decode()
    assert "请补充 检索范围。" in page
    assert "同意。" in page
    # Another officer cannot remove it; its owner can.
    client.force_login(users["liaison_b"])
    client.post("/work/phrases/", {"remove": mine.pk})
    assert CommonPhrase.objects.filter(pk=mine.pk).exists()
    client.force_login(users["liaison_a"])
    client.post("/work/phrases/", {"remove": mine.pk})
    assert not CommonPhrase.objects.filter(pk=mine.pk).exists()
    assert CommonPhrase.objects.filter(owner__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_done_list_pages_among_a_hundred_thousand_cases_events(users, client, signed_off):
    """300,000 events by 30 officers (what 100,000 cases leave after a few steps
    each) plus the fixture's; the 已办 page of the most active officer is read through the
    index, the first page and the last alike (their times are printed, not asserted)."""
    import sys
    import time

    from django.contrib.auth import get_user_model

    from workflows.decide.done import done_events

    officers = [get_user_model().objects.create_user(username=f"officer{n}") for n in range(29)] + [
        users["reviewer"]
    ]
    ids = [o.pk for o in officers]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                INSERT INTO casework_event (case_id, seq, kind, actor_id, actor_name, actor_role,
                    "on", entered_at, from_status, to_status, payload, prev_hash, hash)
                SELECT %s, 1000 + g, 'note', (%s::int[])[1 + g %% 30], 'x', 'reviewer',
                    DATE '2026-01-01', TIMESTAMPTZ '2026-01-01' + g * INTERVAL '1 minute',
                    '', 'review', '{}'::jsonb, '', ''
                FROM generate_series(1, 300000) AS g
                """,
                [signed_off.pk, ids],
            )
        else:  # SQLite: the same rows from a recursive series (no roles, no trigger there)
            actor = "CASE g %% 30 " + " ".join(
                f"WHEN {n} THEN {int(pk)}" for n, pk in enumerate(ids)
            )
            cursor.execute(
                f"""
                WITH RECURSIVE series(g) AS (
                    SELECT 1 UNION ALL SELECT g + 1 FROM series WHERE g < 300000
                )
                INSERT INTO casework_event (case_id, seq, kind, actor_id, actor_name, actor_role,
                    "on", entered_at, from_status, to_status, payload, prev_hash, hash)
                SELECT %s, 1000 + g, 'note', {actor} END, 'x', 'reviewer', '2026-01-01',
                    datetime('2026-01-01', '+' || g || ' minutes'), '', 'review', '{{}}', '', ''
                FROM series
                """,  # noqa: S608 - the ids are integers of this test's own users
                [signed_off.pk],
            )
        cursor.execute("ANALYZE casework_event")
    reviewer = users["reviewer"]
    count = done_events(reviewer).count()
    assert count >= 10_000
    timings = []
    for page in (1, count // 50):
        rows = done_events(reviewer)[(page - 1) * 50 : page * 50]
        started = time.perf_counter()
        assert len(list(rows)) == 50
        timings.append(time.perf_counter() - started)
    client.force_login(reviewer)
    client.get("/work/done/")  # warm: templates, URL resolver, session
    responses = []
    for path in ("/work/done/", f"/work/done/?page={count // 50}"):
        started = time.perf_counter()
        assert client.get(path).status_code == 200
        responses.append(time.perf_counter() - started)
    measured = (
        f"已办 at 300,000 events: query of the first page {timings[0] * 1000:.1f} ms, of the "
        f"last {timings[1] * 1000:.1f} ms; whole response, first page {responses[0] * 1000:.0f}"
        f" ms, last {responses[1] * 1000:.0f} ms"
    )
    # Figures, not assertions (speed is measured by benchmarks, never by timed tests); the
    # index plan itself is asserted in test_the_done_list_reads_the_actor_index_on_postgresql.
    sys.stderr.write(measured + "\n")
