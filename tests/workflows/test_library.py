"""The case library on real cases (issue 25): the Art 36(6) repeat and the duplicate, the
panel on the case page, the office's popular topics, the index kept current by the task
engine, the rebuild, the organ boundary and the evaluation interface."""

import json
import re
from datetime import date
from pathlib import Path

from django.core.management import call_command

import pytest

from casework.library.index import entry_refresh
from casework.library.models import LibraryEntry, LibrarySettings
from casework.library.selectors import (
    applicant_volume,
    earlier_open_requests,
    library_panel,
    popular_topics,
    repeat_candidates,
    similar_cases,
)
from casework.models import Case, Organ
from tests.conftest import NOW, REQUEST, TODAY, VALID_RESIDENT_ID_2, at, company, person
from tests.letters.test_casefile import replied  # noqa: F401 - fixture
from tests.letters.test_letters import approved  # noqa: F401 - fixture

OTHER = person(
    name="李四", id_number=VALID_RESIDENT_ID_2, phone="13900139000", email="ls@example.com"
)
DATA = Path(__file__).resolve().parent.parent / "data"
# The `replied` fixture answers on TODAY: a repeat of it arrives on a later day (a request of
# the reply's own day is not "answered before it arrived": casework.library.match.answered_before).
NEXT_DAY = date(2026, 3, 17)


def _again(receive_flow, **kwargs):
    """The same applicant's same request, received the day after the reply."""
    return receive_flow(arrived=NEXT_DAY, now=at(NEXT_DAY, 10), **kwargs)


def _index_all() -> None:
    for pk in Case.objects.values_list("pk", flat=True):
        entry_refresh(pk)


@pytest.mark.django_db
def test_repeat_candidates_name_the_earlier_answered_case_first(replied, receive_flow):  # noqa: F811
    again = _again(receive_flow)  # the same applicant, the same request, after the reply
    _index_all()
    candidates = repeat_candidates(again)
    assert candidates, "the earlier answered case is a repeat candidate"
    assert candidates[0].case == replied
    assert candidates[0].same
    assert candidates[0].reply_number  # the reply letter's 文号, for the 36(6) letter to cite
    panel = library_panel(again, TODAY)
    assert panel.repeat is not None
    assert panel.repeat.case == replied
    assert panel.duplicates == []


@pytest.mark.django_db
def test_another_applicant_asking_the_same_is_popular_never_a_repeat(replied, receive_flow):  # noqa: F811
    other = _again(receive_flow, applicant=OTHER)
    _index_all()
    assert repeat_candidates(other) == []
    similar = similar_cases(other)
    assert similar[0].case == replied
    assert similar[0].same


@pytest.mark.django_db
def test_the_same_applicant_before_the_first_reply_is_a_duplicate(receive_flow):
    first = receive_flow(arrived=date(2026, 3, 2))
    second = receive_flow(arrived=date(2026, 3, 3))
    _index_all()
    panel = library_panel(second, TODAY)
    assert panel.repeat is None
    assert [d.case for d in panel.duplicates] == [first]


@pytest.mark.django_db
def test_a_look_alike_of_another_year_is_shown_with_the_difference(replied, organ, users):  # noqa: F811
    from workflows.services import case_receive

    other_year = case_receive(
        organ=organ,
        actor=users["registrar"],
        channel="in_person",
        arrived_at=at(TODAY),
        applicant=person(),
        request={**REQUEST, "subject": "2024年度退役士兵安置计划"},
        now=NOW,
    )
    _index_all()
    similar = similar_cases(other_year)
    assert similar[0].case == replied
    assert not similar[0].same
    assert any("2024" in d and "2025" in d for d in similar[0].differences)
    assert repeat_candidates(other_year) == []


@pytest.mark.django_db
def test_the_organ_boundary_holds(replied, receive_flow):  # noqa: F811
    stranger = Organ.objects.create(name="另一机关", address="某地", phone="1")
    same_text = Case.objects.get(pk=replied.pk)
    same_text.pk = None
    same_text.organ = stranger
    same_text.number = "X-1"
    same_text.save()
    again = _again(receive_flow)
    _index_all()
    assert all(s.case.organ_id == again.organ_id for s in similar_cases(again))
    assert stranger.pk not in {s.case.organ_id for s in repeat_candidates(again)}


@pytest.mark.django_db
def test_the_index_is_kept_current_by_a_job_after_commit(
    receive_flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = receive_flow(arrived=date(2026, 3, 2))
    entry = LibraryEntry.objects.get(case=case)
    assert entry.facts["periods"] == ["2025"]
    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.filter(pk=case.pk).update(subject="2023年度退役士兵安置计划")
        case.refresh_from_db()
        case.save(update_fields=["subject"])  # a correction saves the case
    entry.refresh_from_db()
    assert entry.facts["periods"] == ["2023"]


@pytest.mark.django_db
def test_rebuild_recreates_every_entry(receive_flow):
    receive_flow(arrived=date(2026, 3, 2))
    receive_flow(arrived=date(2026, 3, 3), applicant=OTHER)
    LibraryEntry.objects.all().delete()
    call_command("library_rebuild")
    assert LibraryEntry.objects.count() == Case.objects.count() == 2


@pytest.mark.django_db
def test_volume_against_the_organs_threshold(receive_flow, organ):
    for day in (2, 3, 4):
        case = receive_flow(arrived=date(2026, 3, day))
    _index_all()
    LibrarySettings.objects.create(organ=organ, volume_threshold=3)
    volume = applicant_volume(case, TODAY)
    assert volume.count == 3
    assert volume.exceeds
    LibrarySettings.objects.filter(organ=organ).update(volume_threshold=4)
    assert not applicant_volume(case, TODAY).exceeds


@pytest.mark.django_db
def test_popular_topics_for_the_office(receive_flow, organ, client, users):
    cases = [
        receive_flow(arrived=date(2026, 3, 2), applicant=applicant)
        for applicant in (person(), OTHER, company())
    ]
    _index_all()
    topics = popular_topics(organ, TODAY)
    assert len(topics) == 1
    assert set(topics[0].cases) == set(cases)
    assert topics[0].applicants == 3
    client.force_login(users["registrar"])
    page = client.get("/work/library/popular/").content.decode()
    assert all(c.number in page for c in cases)
    client.force_login(users["liaison_a"])
    assert client.get("/work/library/popular/").status_code == 404


@pytest.mark.django_db
def test_the_case_page_shows_the_earlier_case(replied, receive_flow, client, users):  # noqa: F811
    again = _again(receive_flow)
    _index_all()
    client.force_login(users["registrar"])
    page = client.get(f"/cases/{again.number}/").content.decode()
    assert 'id="library-repeat"' in page
    assert replied.number in page
    assert "第三十六条第六项" in page


def test_similar_eval_takes_any_input_and_touches_no_organ(tmp_path, db):
    rows = [
        {"id": 1, "text": "2024年度部门预算", "applicant": 12345, "received_on": "2024-05-01"},
        {
            "id": "b",
            "text": "请提供2024年部门预算",
            "applicant": "",
            "received_on": "2024-05-02",
            "division": "新处室",
        },
        {"id": "c", "text": "请提供２０２４年度部门预算", "applicant": 12345, "received_on": "bad"},
        {
            "id": "d",
            "text": "2024年度部门预算",
            "applicant": "12345",
            "received_on": "2024-06-01",
            "replied_on": None,
        },
    ]
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\nnot json\n", "utf-8"
    )
    out = tmp_path / "out.jsonl"
    organs = Organ.objects.count()
    call_command("similar_eval", str(source), "--out", str(out))
    answers = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    # a bad date sorts first; the ids come back as given (a number stays a number)
    assert [a["id"] for a in answers] == ["c", 1, "b", "d"]
    last = answers[-1]
    assert set(last) == {"id", "similar", "same", "repeat_of", "division"}
    assert last["same"]
    assert last["repeat_of"] is None
    assert last["division"] == "新处室"
    assert 1 in last["same"]
    assert Organ.objects.count() == organs


@pytest.mark.django_db
def test_the_labelled_set_meets_the_targets():
    from casework.library.evaluation import evaluate

    rows = [
        json.loads(line) for line in (DATA / "similar_set.jsonl").read_text("utf-8").splitlines()
    ]
    assert len(rows) >= 400
    pairs = (DATA / "similar_pairs.jsonl").read_text("utf-8").splitlines()
    assert len(pairs) >= 1500
    m = evaluate(rows).metrics
    assert m["recall_at_10"] >= 0.95
    assert m["hit_at_1"] >= 0.90
    assert m["same_precision"] >= 0.90
    assert m["same_recall"] >= 0.80
    assert m["false_repeat_rate"] <= 0.02
    assert m["repeat_recall"] >= 0.80
    assert m["popular_recall"] >= 0.90
    assert m["routing_accuracy"] >= 0.80
    naive = evaluate(rows, naive=True).metrics
    assert naive["same_precision"] < m["same_precision"]  # the facts are what makes the difference


@pytest.mark.django_db
def test_the_register_assign_and_propose_forms_show_the_panel(replied, receive_flow, client, users):  # noqa: F811
    again = _again(receive_flow)
    _index_all()
    client.force_login(users["registrar"])
    page = client.get(f"/work/cases/{again.number}/act/register/").content.decode()
    assert 'id="library-repeat"' in page
    assert replied.number in page
    other = client.get(f"/work/cases/{again.number}/act/withdraw/")
    assert other.status_code == 200
    assert 'id="library"' not in other.content.decode()


@pytest.mark.django_db
def test_bench_similar_prints_the_metrics_and_the_lookup_time(receive_flow, tmp_path):
    import io

    rows = [
        json.loads(line) for line in (DATA / "similar_set.jsonl").read_text("utf-8").splitlines()
    ][:60]
    small = tmp_path / "set.jsonl"
    small.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    receive_flow(arrived=date(2026, 3, 2))
    receive_flow(arrived=date(2026, 3, 3), applicant=OTHER)
    _index_all()
    out = io.StringIO()
    call_command("bench_similar", "--set", str(small), "--lookups", "2", stdout=out)
    text = out.getvalue()
    assert "hit_at_1:" in text
    assert "false_repeat_rate:" in text
    assert "基线" in text
    assert re.search(
        r"查找耗时（(sqlite|postgresql)，机关 \d+，2 件）：p50=[\d.]+ ms p95=[\d.]+ ms（2 次）",
        text,
    )


@pytest.mark.django_db
def test_bench_similar_prints_the_growth_and_leaves_no_scratch_postings(receive_flow, monkeypatch):
    """The growth line times the candidate lookup on the organ's first GROWTH_BASE entries
    (a scratch copy of their postings, removed afterwards) and on all of them."""
    import io

    from casework.library.models import LibraryPosting
    from workflows.management.commands import bench_similar

    monkeypatch.setattr(bench_similar, "GROWTH_BASE", 1)
    receive_flow(arrived=date(2026, 3, 2))
    receive_flow(arrived=date(2026, 3, 3), applicant=OTHER)
    _index_all()
    before = LibraryPosting.objects.count()
    out = io.StringIO()
    call_command("bench_similar", "--lookups-only", "--lookups", "2", stdout=out)
    assert re.search(
        r"候选查询增长：1 件 p50=[\d.]+ ms p95=[\d.]+ ms → 2 件 p50=[\d.]+ ms p95=[\d.]+ ms"
        r" ?（规模 ×2，耗时 ×[\d.]+）",
        out.getvalue(),
    ), out.getvalue()
    assert LibraryPosting.objects.count() == before
    assert not LibraryPosting.objects.filter(organ_id__lt=0).exists()


@pytest.mark.django_db
def test_the_repeat_proposal_picks_the_earlier_case_and_its_letter_cites_it(
    receive_flow, act, divisions, users
):
    """Issue 25 point 2 with issue 21's 36(6) rule: the propose form names the same
    applicant's earlier answered case, and the reply cites its date and 文号."""
    from casework.lifecycle.inputs import ProposeInput
    from letters.models import Letter
    from letters.services import letter_issue
    from tests.letters.decided import answered_case

    earlier = answered_case(receive_flow, act, divisions, users)
    earlier_reply = Letter.objects.get(case=earlier, kind="reply.granted")
    again = receive_flow(arrived=TODAY)
    act(again, "register", "registrar", on=TODAY)
    act(again, "assign", "reviewer", on=TODAY, lead_division_id=divisions["a"].pk)
    act(again, "claim", "liaison_a", on=TODAY)
    _index_all()
    form = ProposeInput(case=again)
    assert form.initial["earlier_case_number"] == earlier.number
    act(
        again,
        "propose",
        "liaison_a",
        on=TODAY,
        disposition="not_processed.repeated",
        basis="",
        reasons="申请人此前已就同一政府信息提出申请，本机关已依法答复。",
        earlier_case_number=form.initial["earlier_case_number"],
    )
    act(again, "check", "reviewer", on=TODAY)
    act(again, "approve", "head", on=TODAY)
    letter = letter_issue(
        number=again.number, kind="reply.not_processed.repeated", actor=users["registrar"], now=NOW
    )
    body = "".join(str(v) for v in letter.context.values())
    assert letter.context["earlier_letter_number"] == earlier_reply.number
    assert "2026年2月6日" in body or letter.context["earlier_reply_on_cn"] == "2026年2月6日"


@pytest.mark.django_db
def test_the_volume_threshold_is_set_in_the_admin(client, organ, users, receive_flow):
    """Art 35: the organ's threshold is settable (admin), and the volume reads it."""
    admin_user = users["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.post(
        "/admin/case_library/librarysettings/add/",
        {"organ": organ.pk, "volume_threshold": 2},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LibrarySettings.objects.get(organ=organ).volume_threshold == 2
    page = client.get("/admin/case_library/librarysettings/").content.decode()
    assert organ.name in page
    first = receive_flow(arrived=date(2026, 3, 2))
    receive_flow(arrived=date(2026, 3, 3))
    volume = applicant_volume(first, TODAY)
    assert (volume.count, volume.threshold, volume.exceeds) == (2, 2, True)


@pytest.mark.django_db
def test_the_same_applicant_is_matched_by_each_key_across_applicant_records(receive_flow):
    """Every key of same_applicant_q counts (each request makes its own applicant record):
    the identity document, name with phone, name with e-mail in any letter case; another
    person is not counted (the volume of Art 35 and the earlier open requests to merge into)."""
    case = receive_flow(arrived=date(2026, 3, 6))
    by_document = receive_flow(
        arrived=date(2026, 3, 2), applicant=person(name="张三丰", phone="13700137000", email="")
    )
    by_phone = receive_flow(
        arrived=date(2026, 3, 3),
        applicant=person(id_number=VALID_RESIDENT_ID_2, email=""),
    )
    by_email = receive_flow(
        arrived=date(2026, 3, 4),
        applicant=person(
            id_number=VALID_RESIDENT_ID_2, phone="13600136000", email="ZhangSan@Example.com"
        ),
    )
    receive_flow(arrived=date(2026, 3, 5), applicant=OTHER)
    assert len({c.applicant_id for c in (case, by_document, by_phone, by_email)}) == 4
    volume = applicant_volume(case, TODAY)
    assert sorted(c.pk for c in volume.cases) == sorted(
        c.pk for c in (case, by_document, by_phone, by_email)
    )
    assert list(earlier_open_requests(case)) == [by_document, by_phone, by_email]
