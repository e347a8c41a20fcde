"""Issue 11 points 8 and 11: a correction may be requested within 7 working days of receipt
in any open state and records the corrected request; steps after their time limit (the
organ's or the applicant's) are accepted only with a recorded reason, flagged on the case and
on the supervision dashboard."""

from datetime import date

import pytest

from casework.errors import InvalidInput, WrongState
from casework.models import Case, Event
from casework.selectors import case_warnings
from tests.conftest import at, real_pdf


@pytest.fixture
def investigating(receive, fire, divisions):
    case = receive(arrived=date(2026, 3, 2))
    fire(case, "register", "registrar", on=date(2026, 3, 2))
    fire(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    fire(case, "claim", "liaison_a", on=date(2026, 3, 3))
    return case


@pytest.mark.django_db
def test_correction_after_assignment_returns_to_its_state_with_the_corrected_request(
    investigating, fire
):
    case = investigating
    fire(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 5),
        items="写明年份",
        deadline_on="2026-03-16",
    )
    assert Case.objects.get(pk=case.pk).status == "correction"
    fire(
        case,
        "receive_correction",
        "registrar",
        on=date(2026, 3, 9),
        subject="2025年度退役士兵安置计划（济南市）",
        description="补正：指2025年度",
    )
    case = Case.objects.get(pk=case.pk)
    assert case.status == "investigation"  # back where the correction found it
    assert case.subject == "2025年度退役士兵安置计划（济南市）"
    assert case.clock_started_on == date(2026, 3, 9)  # Art 30: a new count
    event = Event.objects.get(case=case, kind="receive_correction")
    assert event.payload["corrected"]["subject"] == [
        "2025年度退役士兵安置计划",
        "2025年度退役士兵安置计划（济南市）",
    ]


@pytest.mark.django_db
def test_a_late_correction_notice_is_refused_and_a_late_step_needs_its_reason(
    investigating, receive, fire, client, users
):
    case = investigating
    # received 3-02: the 7th working day is 3-11; a notice after it would restart the reply
    # period the organ let run (Art 30), reason or not.
    with pytest.raises(WrongState) as excinfo:
        fire(
            case,
            "request_correction",
            "registrar",
            on=date(2026, 3, 12),
            items="写明年份",
            deadline_on="2026-03-20",
            late_reason="承办人病假，未能及时发现",
        )
    assert "2026年3月11日" in str(excinfo.value)
    assert not Event.objects.filter(case=case, kind="request_correction").exists()
    # A step still owed after its period (the confirmation of an online application's
    # receipt, Art 31) needs its reason, is flagged on the case and on the dashboard.
    online = receive(channel="online", arrived=date(2026, 3, 2))
    with pytest.raises(InvalidInput) as missing:
        fire(online, "confirm_receipt", "registrar", on=date(2026, 3, 12), method="电话确认")
    assert missing.value.field == "late_reason"
    fire(
        online,
        "confirm_receipt",
        "registrar",
        on=date(2026, 3, 12),
        method="电话确认",
        late_reason="承办人病假，未能及时发现",
    )
    event = Event.objects.get(case=online, kind="confirm_receipt")
    assert event.payload["late"]["what"] == "confirm_receipt"
    assert any("承办人病假" in w for w in case_warnings(Case.objects.get(pk=online.pk)))
    client.force_login(users["supervisor"])
    page = client.get("/supervision/?from=2026-03-01&to=2026-03-16").content.decode()
    assert online.number in page
    assert "承办人病假" in page


@pytest.mark.django_db
def test_late_applicant_acts_and_late_confirmation_need_a_reason(receive, fire, investigating):
    online = receive(channel="online", arrived=date(2026, 3, 2))
    with pytest.raises(InvalidInput):  # 5 working days after arrival is 3-09
        fire(online, "confirm_receipt", "registrar", on=date(2026, 3, 13))
    fire(online, "confirm_receipt", "registrar", on=date(2026, 3, 6))  # in time: no reason asked

    case = investigating
    fire(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 4),
        items="写明年份",
        deadline_on="2026-03-10",
    )
    with pytest.raises(InvalidInput) as excinfo:
        fire(
            case, "receive_correction", "registrar", on=date(2026, 3, 12), now=at(date(2026, 3, 16))
        )
    assert excinfo.value.field == "late_reason"
    fire(
        case,
        "receive_correction",
        "registrar",
        on=date(2026, 3, 12),
        late_reason="邮戳显示3月9日寄出",
    )
    assert (
        Event.objects.get(case=case, kind="receive_correction").payload["late_reason"]
        == "邮戳显示3月9日寄出"
    )


@pytest.mark.django_db
def test_the_applicant_sends_the_correction_online(client, receive, fire, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.portal import query_code_digest
    from workflows.workbench.forms import transition_form

    case = receive(channel="online", arrived=date(2026, 3, 2))
    fire(case, "confirm_receipt", "registrar", on=date(2026, 3, 3))
    fire(case, "register", "registrar", on=date(2026, 3, 3))
    fire(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 4),
        items="请写明文件的年份",
        deadline_on="2026-03-18",
    )
    code = "ABCD-EFGH-JKLM"
    Case.objects.filter(pk=case.pk).update(query_code_digest=query_code_digest(case.number, code))
    client.post("/track/", {"number": case.number, "code": code})
    page = client.get(f"/track/{case.number}/").content.decode()
    assert "请写明文件的年份" in page
    assert "2026年3月18日" in page
    response = client.post(
        f"/track/{case.number}/correction/",
        {
            "subject": "2025年度退役士兵安置计划",
            "text": "所申请的是2025年度的计划。",
            "files": [SimpleUploadedFile("补正.pdf", real_pdf(), "application/pdf")],
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.status == "correction"  # the office records its receipt after checking it
    sent = Event.objects.get(case=case, kind="submit_correction")
    assert sent.actor is None
    assert sent.payload["text"] == "所申请的是2025年度的计划。"
    assert case.attachments.filter(kind="correction").count() == 1
    assert any("在线提交" in w or "online" in w for w in case_warnings(case))
    form = transition_form("receive_correction", case)
    assert form.initial["description"] == "所申请的是2025年度的计划。"


@pytest.mark.django_db
def test_one_urge_per_case_per_supervisor_per_day(investigating, fire):
    from casework.errors import WrongState

    fire(investigating, "urge", "supervisor", on=date(2026, 3, 16), message="请加快")
    with pytest.raises(WrongState):
        fire(investigating, "urge", "supervisor", on=date(2026, 3, 16), message="再催")
    fire(investigating, "urge", "reviewer", on=date(2026, 3, 16), message="公开办也催一次")
    fire(
        investigating,
        "urge",
        "supervisor",
        on=date(2026, 3, 13),
        now=at(date(2026, 3, 16)),
        message="补记上周五的催办",
    )
    assert Event.objects.filter(case=investigating, kind="urge").count() == 3


@pytest.mark.django_db
def test_a_refused_correction_file_keeps_the_typed_text(client, receive, fire):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.portal import query_code_digest

    case = receive(channel="online", arrived=date(2026, 3, 2))
    fire(case, "confirm_receipt", "registrar", on=date(2026, 3, 3))
    fire(case, "register", "registrar", on=date(2026, 3, 3))
    fire(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 4),
        items="写明年份",
        deadline_on="2026-03-18",
    )
    code = "ABCD-EFGH-JKLM"
    Case.objects.filter(pk=case.pk).update(query_code_digest=query_code_digest(case.number, code))
    client.post("/track/", {"number": case.number, "code": code})
    response = client.post(
        f"/track/{case.number}/correction/",
        {
            "text": "所申请的是2025年度的计划。",
            "files": [SimpleUploadedFile("x.pdf", b"<html><script>1</script>", "application/pdf")],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "所申请的是2025年度的计划。" in page  # nothing typed is lost
    assert "请重新选择文件" in page
    assert not Event.objects.filter(case=case, kind="submit_correction").exists()
