"""Supervision: the dashboard (numbers, links, exports, the calendar banner, a fixed query
count), urging, scheduled work (idempotent), and the annual report tables."""

import io
import json
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.management import CommandError, call_command

import pytest
import time_machine

from casework.annual_report import report_as_data, table_3
from casework.models import Case, Division, Event
from letters.models import Letter
from tests.conftest import company, person

TZ = ZoneInfo("Asia/Shanghai")


def moment(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def world(receive_flow, act, divisions, users):
    """Mar 2026: one overdue case (received Jan), one due soon, one fine, one closed."""
    overdue = receive_flow(arrived=date(2026, 1, 5))
    act(overdue, "register", "registrar", on=date(2026, 1, 5))
    act(overdue, "assign", "reviewer", on=date(2026, 1, 6), lead_division_id=divisions["a"].pk)
    act(overdue, "claim", "liaison_a", on=date(2026, 1, 6))
    soon = receive_flow(arrived=date(2026, 2, 12), applicant=company())
    act(soon, "register", "registrar", on=date(2026, 2, 12))
    act(soon, "assign", "reviewer", on=date(2026, 2, 12), lead_division_id=divisions["b"].pk)
    fine = receive_flow(arrived=date(2026, 3, 13))
    closed = receive_flow(arrived=date(2026, 3, 2))
    act(
        closed,
        "reply_on_the_spot",
        "registrar",
        on=date(2026, 3, 2),
        disposition="granted",
        basis="《条例》第三十六条第（二）项",
    )
    return {"overdue": overdue, "soon": soon, "fine": fine, "closed": closed}


@pytest.mark.django_db
def test_dashboard_numbers_lists_and_links(client, users, world):
    users["supervisor"].save()
    client.force_login(users["supervisor"])
    with time_machine.travel(moment(date(2026, 3, 16)), tick=False):
        page = client.get("/supervision/").content.decode()
        assert (
            world["overdue"].number in page
        )  # due Feb 3 (20 working days after Jan 5, Spring Festival later)
        assert "已超期" in page
        assert "?level=overdue" in page
        listed = client.get("/cases/?level=overdue").content.decode()
        assert world["overdue"].number in listed
        assert world["fine"].number not in listed
        assert world["soon"].number in client.get("/cases/?level=due_soon").content.decode()
        csv_text = client.get("/supervision/?format=csv").content.decode("utf-8-sig")
        assert "按时率" in csv_text
        assert "安置处" in csv_text
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(client.get("/supervision/?format=xlsx").content))
        assert book.sheetnames == ["处室统计", "超期与即将到期"]
    client.force_login(users["liaison_a"])
    assert client.get("/supervision/").status_code == 404


@pytest.mark.django_db
def test_dashboard_banner_when_next_year_calendar_is_missing(client, users, organ):
    client.force_login(users["supervisor"])
    with time_machine.travel(moment(date(2026, 10, 30)), tick=False):
        assert "尚未载入" not in client.get("/supervision/").content.decode()
    with time_machine.travel(moment(date(2026, 11, 2)), tick=False):
        page = client.get("/supervision/").content.decode()
    assert "2027年节假日安排尚未载入" in page
    # No command-line hint (issue 14 point 8): the page to use, linked only for those who
    # may open it (the supervisor may not).
    assert "manage.py" not in page
    assert "载入年度安排" in page
    assert "/admin/casework/calendaryear/import/" not in page


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_divisions(
    client, users, world, organ, django_assert_max_num_queries
):
    client.force_login(users["supervisor"])
    client.get("/supervision/")
    # 17: the kept counts (issue 27) and the catalogue's figures (one query, issue 26); what
    # matters is below: the count does not grow with the divisions.
    with django_assert_max_num_queries(17) as first:
        client.get("/supervision/")
    baseline = len(first.captured_queries)
    for n in range(15):
        Division.objects.create(organ=organ, code=f"x{n}", name=f"新处室{n}")
    with django_assert_max_num_queries(baseline):
        client.get("/supervision/")


@pytest.mark.django_db
def test_urging_reaches_the_queue_and_the_mailbox(
    client, users, world, act, django_capture_on_commit_callbacks
):
    users["liaison_a"].email = "liaison_a@example.gov.cn"
    users["liaison_a"].save()
    with django_capture_on_commit_callbacks(execute=True):
        act(world["overdue"], "urge", "supervisor", message="请于本周内答复")
    assert Event.objects.filter(case=world["overdue"], kind="urge").count() == 1
    assert any("催办" in m.subject and m.to == ["liaison_a@example.gov.cn"] for m in mail.outbox)
    client.force_login(users["liaison_a"])
    assert "催办 1 次" in client.get("/work/?tab=mine").content.decode()


@pytest.mark.django_db(transaction=True)
def test_run_schedule_abandons_once_with_the_notice_and_reminds_once(
    receive_flow, act, users, organ
):
    users["liaison_a"].email = "liaison_a@example.gov.cn"
    users["liaison_a"].save()
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 3),
        items="请写明文件名称",
        deadline_on="2026-03-10",
    )
    with time_machine.travel(moment(date(2026, 3, 16)), tick=False):
        out = StringIO()
        call_command("run_schedule", stdout=out)
        call_command("run_schedule", stdout=out)
    case.refresh_from_db()
    assert case.status == "abandoned"
    assert case.disposition == "other.no_correction"
    assert Event.objects.filter(case=case, kind="abandon").count() == 1
    letters = Letter.objects.filter(case=case)
    assert [letter.kind for letter in letters] == ["reply.other.no_correction"]
    assert "视为放弃 1 件" in out.getvalue()
    assert "视为放弃 0 件" in out.getvalue()


@pytest.mark.django_db
def test_reminders_go_out_once(receive_flow, act, users, divisions):
    users["liaison_a"].email = "liaison_a@example.gov.cn"
    users["liaison_a"].save()
    case = receive_flow(arrived=date(2026, 3, 2))  # reply due Mon 2026-03-30
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 2), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 2))
    for _ in range(2):
        call_command(
            "run_schedule", "--today", "2026-03-23", stdout=StringIO()
        )  # 5 working days before
    reminders = [m for m in mail.outbox if "提醒" in m.subject and "答复期限" in m.subject]
    assert len(reminders) == 1
    assert reminders[0].to == ["liaison_a@example.gov.cn"]


@pytest.mark.django_db
def test_annual_report_counts_and_checks(receive_flow, act, organ, divisions):
    # 2025: two received, one closed in 2025 (granted), one carried into 2026.
    a = receive_flow(arrived=date(2025, 12, 1))
    act(a, "reply_on_the_spot", "registrar", on=date(2025, 12, 1), disposition="granted", basis="")
    b = receive_flow(arrived=date(2025, 12, 22), applicant=company())
    # 2026: one new, b closed (unable.not_held), the new one withdrawn.
    act(b, "register", "registrar", on=date(2025, 12, 22))
    act(b, "assign", "reviewer", on=date(2025, 12, 23), lead_division_id=divisions["a"].pk)
    act(b, "claim", "liaison_a", on=date(2026, 1, 5))
    act(
        b,
        "propose",
        "liaison_a",
        on=date(2026, 1, 6),
        disposition="unable.not_held",
        basis="",
        search_places="档案室",
        search_terms="安置计划",
    )
    act(b, "check", "reviewer", on=date(2026, 1, 6))
    act(b, "approve", "head", on=date(2026, 1, 7))
    act(b, "issue_reply", "registrar")
    c = receive_flow(arrived=date(2026, 2, 2), applicant=person(name="王二"))
    act(c, "withdraw", "registrar", on=date(2026, 2, 3))
    t2025 = table_3(organ, 2025)
    assert t2025.cells["new"]["total"] == 2
    assert t2025.cells["granted"]["natural_person"] == 1
    assert t2025.cells["carried_out"]["commercial"] == 1
    assert all(t2025.checks.values())
    t2026 = table_3(organ, 2026)
    assert t2026.cells["carried_in"]["commercial"] == 1
    assert t2026.cells["new"]["natural_person"] == 1
    assert t2026.cells["unable.not_held"]["commercial"] == 1
    assert t2026.cells["other.other"]["natural_person"] == 1  # the withdrawal
    assert t2026.cells["results_total"]["total"] == 2
    assert all(t2026.checks.values())
    data = report_as_data(organ, 2026)
    assert data["table_3"]["rows"][0]["label"] == "一、本年新收政府信息公开申请数量"
    assert data["table_3"]["columns"][-1]["label"] == "总计"


@pytest.mark.django_db
def test_annual_report_pages_drilldown_exports_and_command(client, users, world, organ):
    client.force_login(users["reviewer"])
    page = client.get("/supervision/report/?year=2026").content.decode()
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in page
    assert "?report=2026&amp;row=granted&amp;col=natural_person" in page
    drill = client.get("/cases/?report=2026&row=granted&col=natural_person").content.decode()
    assert world["closed"].number in drill
    assert world["overdue"].number not in drill
    assert client.get("/supervision/report/?year=2026&format=pdf").content.startswith(b"%PDF")
    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(client.get("/supervision/report/?year=2026&format=xlsx").content)
    )
    assert book.worksheets[0]["A2"].value == "一、本年新收政府信息公开申请数量"
    future = client.get("/supervision/report/?year=2099")
    assert future.status_code == 400
    assert "尚未开始" in future.content.decode()
    empty = client.get("/supervision/report/?year=2020")
    assert empty.status_code == 200
    out = StringIO()
    call_command("annual_report", "2026", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["table_3"]["rows"][3]["values"]["natural_person"] == 1
    with pytest.raises(CommandError):
        call_command("annual_report", "2099")


@pytest.mark.django_db
def test_remedy_records_fill_table_four(world, act, organ):
    from casework.annual_report import table_4
    from casework.errors import InvalidInput

    closed = world["closed"]
    with pytest.raises(InvalidInput):
        act(
            closed,
            "record_remedy",
            "reviewer",
            remedy="reconsideration",
            outcome="upheld",
            filed_on="2026-03-10",
            decided_on="2026-03-05",
        )
    act(
        closed,
        "record_remedy",
        "reviewer",
        remedy="reconsideration",
        outcome="upheld",
        filed_on="2026-03-10",
        decided_on="2026-03-12",
    )
    act(
        closed,
        "record_remedy",
        "reviewer",
        remedy="litigation_after_reconsideration",
        outcome="pending",
        filed_on="2026-03-13",
    )
    table = table_4(organ, 2026)
    assert table["reconsideration"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 0,
        "total": 1,
    }
    assert table["litigation_after_reconsideration"]["pending"] == 1
    assert Case.objects.count() == 4


def _formula_cells(content: bytes) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.mark.django_db
def test_exports_write_an_applicants_formula_as_text(client, users, world):
    """Issue 16: a subject like =HYPERLINK(...) must never be a live formula in an export."""
    evil = '=HYPERLINK("http://evil.example/","点击")'
    Case.objects.filter(pk=world["overdue"].pk).update(subject=evil)
    client.force_login(users["supervisor"])
    with time_machine.travel(moment(date(2026, 3, 16)), tick=False):
        csv_text = client.get("/supervision/?format=csv").content.decode("utf-8-sig")
        xlsx = client.get("/supervision/?format=xlsx").content
        report = client.get("/supervision/report/?year=2025&format=xlsx")
    import csv as csv_module

    cells = [c for row in csv_module.reader(io.StringIO(csv_text)) for c in row]
    assert "'" + evil in cells
    assert evil not in cells
    assert _formula_cells(xlsx) == []
    from openpyxl import load_workbook

    values = [c for row in load_workbook(io.BytesIO(xlsx))["超期与即将到期"].values for c in row]
    assert evil in values  # kept, as text
    assert report.status_code == 200
    assert _formula_cells(report.content) == []


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["0", "-1", "2018", "abc", "99999999999999999999"])
def test_report_year_out_of_range_is_400_in_chinese(client, users, organ, year):
    client.force_login(users["supervisor"])
    response = client.get("/supervision/report/", {"year": year, "format": "xlsx"})
    assert response.status_code == 400
    assert "年" in response.content.decode()


@pytest.mark.django_db
def test_annual_report_pdf_is_laid_out_as_the_published_format(client, users, world, organ):
    """Issue 24 point 10: A4 portrait, the title never alone on its page, every table at the
    full width of the type area, no heading left at a page's foot without its table."""
    import io

    import pdfplumber

    client.force_login(users["reviewer"])
    data = client.get("/supervision/report/?year=2026&format=pdf").content
    mm = 72 / 25.4
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [(page, page.extract_text() or "") for page in pdf.pages]
        first, first_text = pages[0]
        assert round(first.width / mm) == 210  # portrait
        assert "年度报告" in first_text
        assert "一、本年新收政府信息公开申请数量" in first_text  # table 三 starts under the title
        type_area = 210 - 2 * 20
        for page, _text in pages:
            rules = [e for e in page.edges if e["orientation"] == "h"]
            span = (max(e["x1"] for e in rules) - min(e["x0"] for e in rules)) / mm
            assert span >= 0.95 * type_area, span  # the table spans the type area, not half of it
        heading = next(n for n, (_p, t) in enumerate(pages) if "四、政府信息公开行政复议" in t)
        assert "行政复议" in pages[heading][1].split("四、政府信息公开行政复议")[1]
        assert "未经复议直接起诉" in pages[heading][1]  # its table on the same page


@pytest.mark.django_db
def test_cases_not_routed_yet_stand_apart_from_the_divisions(
    client, users, receive, act, divisions
):
    """Issue 24 point 10: the dashboard charted "尚未交办" as if it were a division."""
    from datetime import date

    from casework.selectors import working_calendar  # noqa: F401 - the calendar is loaded
    from workflows.supervision.selectors import dashboard_data

    unrouted = receive(arrived=date(2026, 3, 2))
    act(unrouted, "register", "registrar", on=date(2026, 3, 2))
    routed = receive(arrived=date(2026, 3, 2))
    act(routed, "register", "registrar", on=date(2026, 3, 2))
    act(routed, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    data = dashboard_data(
        organ=unrouted.organ,
        today=date(2026, 3, 16),
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
    )
    assert all(s.division_id is not None for s in data["divisions"])
    assert [s.open for s in data["divisions"]] == [1]
    assert data["unrouted"].open == 1
    assert data["unrouted"].name == "尚未交办"
    assert data["total_open"] == 2
    client.force_login(users["supervisor"])
    page = client.get("/supervision/?from=2026-03-01&to=2026-03-31").content.decode()
    divisions_table = page.split('<tbody class="apart">')[0].split("<h2>处室</h2>")[-1]
    assert "尚未交办" not in divisions_table
    assert "尚未交办" in page.split('<tbody class="apart">')[1]
