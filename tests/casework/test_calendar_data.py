"""The calendar as data: package seed, file import with line-numbered errors, the workdays
and recompute_deadlines commands, and the recompute event on cases whose dates move."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

import pytest

from casework.calendar_data import CalendarImportError, calendar_import, parse_calendar_file
from casework.lifecycle import cases_recompute_clocks
from casework.models import CalendarChange, CalendarYear, ClockRecompute, Event, SpecialDay
from tests.conftest import at


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(
        content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    return path


EXAMPLE_2027 = Path(__file__).resolve().parents[2] / "docs" / "calendar-2027-example.json"
# A complete 2027 (every statutory day of 《全国年节及纪念日放假办法》 off): the example in docs/.
COMPLETE_2027 = json.loads(EXAMPLE_2027.read_text(encoding="utf-8"))
GOOD_2027 = {**COMPLETE_2027, "source": "国办发明电〔2026〕X号"}


def test_parse_good_json(tmp_path):
    parsed = parse_calendar_file(_write(tmp_path, "y.json", GOOD_2027))
    assert parsed.year == 2027
    assert len(parsed.days) == 29 + 5  # 29 days off, 5 make-up working days
    assert parsed.days[date(2027, 9, 26)][0] == "workday"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ({**GOOD_2027, "workdays": [{"date": "2028-01-02"}]}, "不在文件所属的2027年"),
        ({**GOOD_2027, "workdays": [{"date": "2027-09-27"}]}, "是工作日"),
        ({**GOOD_2027, "workdays": [{"date": "2027-10-02"}]}, "既是放假日又是调休上班日"),
        (
            {
                **GOOD_2027,
                "holidays": [
                    *GOOD_2027["holidays"],
                    {"from": "2027-10-03", "to": "2027-10-03", "name": "重复"},
                ],
            },
            "重复列出",
        ),
        ({**GOOD_2027, "workdays": [{"date": "2027-02-30"}]}, "不是有效日期"),
        (
            {**GOOD_2027, "holidays": [{"from": "2027-10-07", "to": "2027-10-01", "name": "x"}]},
            "结束日期早于开始日期",
        ),
    ],
)
def test_bad_json_names_the_line(tmp_path, content, fragment):
    with pytest.raises(CalendarImportError) as excinfo:
        parse_calendar_file(_write(tmp_path, "y.json", content))
    message = "\n".join(excinfo.value.errors)
    assert fragment in message
    assert "第" in message
    assert "行" in message


def test_wrong_year_and_broken_json(tmp_path):
    with pytest.raises(CalendarImportError) as excinfo:
        parse_calendar_file(_write(tmp_path, "y.json", GOOD_2027), year=2028)
    assert "2027" in excinfo.value.errors[0]
    with pytest.raises(CalendarImportError) as excinfo:
        parse_calendar_file(_write(tmp_path, "y.json", '{"year": 2027,\n "holidays": [,]}'))
    assert "第2行" in excinfo.value.errors[0]


def _complete_2027_csv():
    parsed_days = parse_calendar_file(EXAMPLE_2027).days
    return "date,kind,name\n" + "".join(
        f"{day.isoformat()},{kind},{name}\n" for day, (kind, name, _line) in parsed_days.items()
    )


def test_csv_import_and_errors(tmp_path):
    good = _complete_2027_csv()
    parsed = parse_calendar_file(_write(tmp_path, "y.csv", good), year=2027)
    assert len(parsed.days) == 34
    bad = "date,kind,name\n2027-10-01,holiday,国庆节\n2027-10-02,vacation,x\n2027-09-27,workday,周一\n"
    with pytest.raises(CalendarImportError) as excinfo:
        parse_calendar_file(_write(tmp_path, "y.csv", bad), year=2027)
    assert excinfo.value.errors[0].startswith("第3行")
    assert excinfo.value.errors[1].startswith("第4行")
    with pytest.raises(CalendarImportError):
        parse_calendar_file(_write(tmp_path, "y.csv", good))


@pytest.mark.django_db
def test_bad_file_loads_nothing_through_the_command(tmp_path):
    path = _write(tmp_path, "y.json", {**GOOD_2027, "workdays": [{"date": "2027-09-27"}]})
    with pytest.raises(CommandError) as excinfo:
        call_command("workdays", "import", str(path))
    assert "未载入" in str(excinfo.value)
    assert not SpecialDay.objects.filter(day__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_load_command_is_idempotent_and_recorded():
    call_command("workdays", "load", "2025", stdout=StringIO(), stderr=StringIO())
    count = SpecialDay.objects.count()
    changes = CalendarChange.objects.count()
    call_command("workdays", "load", "2025", stdout=StringIO(), stderr=StringIO())
    assert SpecialDay.objects.count() == count
    assert CalendarChange.objects.count() == changes == 1
    with pytest.raises(CommandError):
        call_command("workdays", "load", "2031")


@pytest.mark.django_db
def test_add_and_between_commands(official_calendar):
    out = StringIO()
    call_command("workdays", "add", "2025-09-28", "20", stdout=out)
    assert out.getvalue().strip() == "2025-10-31"
    out = StringIO()
    call_command("workdays", "add", "2026-12-20", "20", stdout=out)
    assert "provisional" in out.getvalue()
    out = StringIO()
    call_command("workdays", "between", "2025-09-26", "2025-10-13", stdout=out)
    assert out.getvalue().strip() == "7"
    for bad in (
        ["add", "2025-13-01", "3"],
        ["add", "2025-01-01", "-3"],
        ["add", "2025-01-01", "999999"],
        ["between", "x", "2025-01-01"],
    ):
        with pytest.raises(CommandError):
            call_command("workdays", *bad)


@pytest.mark.django_db
def test_loading_a_year_recomputes_open_cases_with_an_event(receive, fire, tmp_path):
    # Received Mon 2026-12-14: the reply is due in January 2027, a year not loaded yet.
    case = receive(arrived=date(2026, 12, 14), now=at(date(2026, 12, 14), 15))
    assert case.dates_provisional is True
    provisional_due = case.reply_due_on
    # The (hypothetical) 2027 notice adds 2027-01-04..05 as days off: the due date moves later.
    year = {
        **COMPLETE_2027,
        "source": "测试通知",
        "holidays": [
            {"from": "2027-01-01", "to": "2027-01-05", "name": "元旦"},
            *COMPLETE_2027["holidays"][1:],
        ],
    }
    calendar_import(parse_calendar_file(_write(tmp_path, "y.json", year)))
    report = cases_recompute_clocks(now=at(date(2026, 12, 20), 9))
    assert report.changed == 1
    case.refresh_from_db()
    assert case.dates_provisional is False
    assert case.reply_due_on > provisional_due
    event = Event.objects.filter(case=case).last()
    assert event.kind == "recompute"
    assert event.payload["changes"]["reply_due_on"] == [
        provisional_due.isoformat(),
        case.reply_due_on.isoformat(),
    ]
    again = cases_recompute_clocks(now=at(date(2026, 12, 20), 9))
    assert (again.checked, again.changed) == (0, 0)
    forced = cases_recompute_clocks(now=at(date(2026, 12, 20), 9), force=True)
    assert (forced.checked, forced.changed) == (1, 0)
    assert ClockRecompute.objects.filter(finished_at__isnull=False).count() == 2
    assert Event.objects.filter(case=case, kind="recompute").count() == 1


@pytest.mark.django_db
def test_admin_calendar_change_is_recorded_with_reason(client, users, official_calendar):
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    response = client.post(
        "/admin/casework/specialday/add/",
        {"day": "2026-03-16", "kind": "workday", "name": "x", "source": "s", "reason": "测试"},
    )
    assert response.status_code == 200
    assert "周六或周日" in response.content.decode()
    response = client.post(
        "/admin/casework/specialday/add/",
        {
            "day": "2026-03-17",
            "kind": "holiday",
            "name": "临时放假",
            "source": "某通知",
            "reason": "按通知补录",
        },
    )
    assert response.status_code == 302
    change = CalendarChange.objects.get(action="add")
    assert (change.user, change.reason, change.day) == (
        users["admin"],
        "按通知补录",
        date(2026, 3, 17),
    )
    page = client.get("/admin/casework/calendaryear/").content.decode()
    assert "2027" in page or "未载入" in page


@pytest.mark.django_db
def test_special_day_save_records_the_change_and_enqueues_the_recompute(
    receive, users, django_capture_on_commit_callbacks
):
    """The edit commits at once; the open cases are recomputed by the recompute_deadlines job
    after commit (the test settings run jobs immediately; production's worker runs them)."""
    from casework.calendar_data import special_day_save
    from casework.errors import InvalidInput

    case = receive(arrived=date(2026, 3, 16))
    due = case.reply_due_on
    day = SpecialDay(day=date(2026, 3, 17), kind="holiday", name="临时放假", source="某通知")
    with django_capture_on_commit_callbacks() as callbacks:
        special_day_save(day=day, actor=users["admin"], reason="按通知补录")
    case.refresh_from_db()
    assert case.reply_due_on == due  # nothing recomputed inside the edit
    for callback in callbacks:
        callback()  # what happens after commit: the job runs (ImmediateBackend)
    case.refresh_from_db()
    assert case.reply_due_on > due
    assert Event.objects.filter(case=case, kind="recompute").count() == 1
    added = CalendarChange.objects.get(action="add")
    assert (added.user, added.day, added.before, added.reason) == (
        users["admin"],
        date(2026, 3, 17),
        "",
        "按通知补录",
    )
    day.name = "临时放假（更正）"
    special_day_save(day=day, actor=users["admin"], reason="更正名称")
    changed = CalendarChange.objects.get(action="change")
    assert changed.before == "2026-03-17 holiday 临时放假"
    assert changed.after == "2026-03-17 holiday 临时放假（更正）"
    weekday = SpecialDay(day=date(2026, 3, 18), kind="workday", name="x", source="s")
    with pytest.raises(InvalidInput) as excinfo:
        special_day_save(day=weekday, actor=users["admin"], reason="r")
    assert "周六或周日" in excinfo.value.message


@pytest.mark.django_db
def test_an_administrator_loads_a_year_from_a_file_on_the_admin_page(
    client, users, receive, django_capture_on_commit_callbacks
):
    """The web form of `workdays import` (issue 14 point 8: no command-line hints to users):
    a bad file is refused with every problem listed and nothing loaded; a good one loads the
    year and enqueues the recompute."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    listing = client.get("/admin/casework/calendaryear/").content.decode()
    assert "/admin/casework/calendaryear/import/" in listing
    assert "manage.py" not in listing
    page = client.get("/admin/casework/calendaryear/import/")
    assert page.status_code == 200
    assert "载入年度工作日安排" in page.content.decode()
    incomplete = {**COMPLETE_2027, "holidays": COMPLETE_2027["holidays"][1:]}
    bad = SimpleUploadedFile(
        "2027.json", json.dumps(incomplete, ensure_ascii=False).encode(), "application/json"
    )
    response = client.post("/admin/casework/calendaryear/import/", {"file": bad})
    assert response.status_code == 400
    assert "2027" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    response = client.post("/admin/casework/calendaryear/import/", {})
    assert response.status_code == 400
    assert "请选择内置年度或上传文件" in response.content.decode()
    good = SimpleUploadedFile("2027.json", EXAMPLE_2027.read_bytes(), "application/json")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/admin/casework/calendaryear/import/", {"file": good})
    assert response.status_code == 302
    assert len(callbacks) >= 1  # recompute_deadlines, run by a worker after commit
    assert CalendarYear.objects.get(year=2027).source == COMPLETE_2027["source"]
    change = CalendarChange.objects.get(action="import", year=2027)
    assert change.user == users["admin"]
    followed = client.get(response["Location"]).content.decode()
    assert "已载入 34 个特殊日" in followed


@pytest.mark.django_db
def test_a_liaison_officer_cannot_open_the_calendar_import_page(client, users):
    before = CalendarChange.objects.count()
    client.force_login(users["liaison_a"])
    response = client.get("/admin/casework/calendaryear/import/")
    assert response.status_code in (302, 403)
    response = client.post("/admin/casework/calendaryear/import/", {"package_year": "2026"})
    assert response.status_code in (302, 403)
    assert CalendarChange.objects.count() == before
    assert not SpecialDay.objects.filter(day=date(2026, 3, 18)).exists()


# -- complete years only (issue 11, point 6) ------------------------------------------------

NEW_YEAR_ONLY_2027 = {
    "year": 2027,
    "source": "只有元旦的不完整文件",
    "holidays": [{"from": "2027-01-01", "to": "2027-01-03", "name": "元旦"}],
    "workdays": [{"date": "2027-01-09", "name": "元旦调休上班"}],
}


@pytest.mark.django_db
def test_an_incomplete_year_is_refused_naming_every_missing_statutory_day(tmp_path):
    path = _write(tmp_path, "y.json", NEW_YEAR_ONLY_2027)
    with pytest.raises(CommandError) as excinfo:
        call_command("workdays", "import", str(path))
    message = str(excinfo.value)
    assert "未载入" in message
    assert "法定节假日" in message
    for missing in (
        "2027-02-05（农历除夕）",
        "2027-02-06（春节）",
        "2027-02-08（春节）",
        "2027-04-05（清明节）",
        "2027-05-02（劳动节）",
        "2027-06-09（端午节）",
        "2027-09-15（中秋节）",
        "2027-10-01（国庆节）",
        "2027-10-03（国庆节）",
    ):
        assert missing in message
    assert "2027-01-01" not in message  # New Year is in the file
    assert not SpecialDay.objects.filter(day__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_one_missing_day_of_a_long_block_is_named(tmp_path):
    holidays = [
        {**h, "to": "2027-10-02"} if h["name"] == "国庆节" else h for h in GOOD_2027["holidays"]
    ]
    holidays.append({"from": "2027-10-04", "to": "2027-10-07", "name": "国庆节"})
    with pytest.raises(CalendarImportError) as excinfo:
        parse_calendar_file(_write(tmp_path, "y.json", {**GOOD_2027, "holidays": holidays}))
    (problem,) = excinfo.value.errors
    assert "2027-10-03（国庆节）" in problem
    assert "2027-10-02" not in problem


def test_a_statutory_day_given_as_a_make_up_day_is_missing(tmp_path):
    holidays = [h for h in GOOD_2027["holidays"] if h["name"] != "劳动节"]
    holidays.append({"from": "2027-05-02", "to": "2027-05-05", "name": "劳动节"})
    content = {
        **GOOD_2027,
        "holidays": holidays,
        "workdays": [*GOOD_2027["workdays"], {"date": "2027-05-01", "name": "调休"}],
    }
    with pytest.raises(CalendarImportError) as excinfo:
        parse_calendar_file(_write(tmp_path, "y.json", content))
    assert "2027-05-01（劳动节）" in "\n".join(excinfo.value.errors)


@pytest.mark.django_db
def test_the_example_file_in_docs_loads_as_a_complete_official_year(db):
    from casework.selectors import working_calendar

    assert "示例" in COMPLETE_2027["source"]
    out = StringIO()
    call_command("workdays", "import", str(EXAMPLE_2027), stdout=out)
    assert "2027 年：已载入 34 个特殊日" in out.getvalue()
    calendar = working_calendar()
    assert not calendar.is_provisional(date(2027, 2, 8))
    for day_off in (date(2027, 2, 5), date(2027, 2, 8), date(2027, 10, 1), date(2027, 10, 4)):
        assert not calendar.is_working_day(day_off)
    assert calendar.is_working_day(date(2027, 1, 31))  # a Sunday made a working day
    assert CalendarYear.objects.get(year=2027).source == COMPLETE_2027["source"]


@pytest.mark.django_db
def test_a_make_up_day_on_a_weekday_is_refused_even_past_the_parser():
    from casework.calendar_data import ParsedYear

    parsed = parse_calendar_file(EXAMPLE_2027)
    parsed.days[date(2027, 2, 19)] = ("workday", "周五调休", 99)  # a Friday
    with pytest.raises(CalendarImportError) as excinfo:
        calendar_import(parsed)
    assert "周六或周日" in excinfo.value.errors[0]
    assert "2027-02-19" in excinfo.value.errors[0]
    assert not CalendarYear.objects.filter(year=2027).exists()
    incomplete = ParsedYear(year=2027, source="x", days={date(2027, 1, 1): ("holiday", "元旦", 1)})
    with pytest.raises(CalendarImportError):
        calendar_import(incomplete)
    assert not SpecialDay.objects.exists()


@pytest.mark.parametrize("year", [1999, 2100, 2150])
def test_a_file_for_a_year_outside_the_calendar_is_refused_in_chinese(tmp_path, year):
    with pytest.raises(CalendarImportError) as excinfo:
        parse_calendar_file(_write(tmp_path, "y.json", {**NEW_YEAR_ONLY_2027, "year": year}))
    assert excinfo.value.errors == [f"第2行：{year}年超出工作日日历的范围（2004年至2099年）。"]
    with pytest.raises(CalendarImportError) as excinfo:
        parse_calendar_file(_write(tmp_path, "y.csv", "date,kind,name\n"), year=year)
    assert "超出工作日日历的范围" in excinfo.value.errors[0]


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_package_seed_contains_every_statutory_holiday(year):
    """Cross-check: chinesecalendar's arrangements pass the same completeness rule."""
    from chinese_calendar import constants

    from casework.calendar_data import ParsedYear, statutory_holidays_missing

    days = {d: ("holiday", str(n), 0) for d, n in constants.holidays.items() if d.year == year}
    assert statutory_holidays_missing(ParsedYear(year=year, source="", days=days)) == []


@pytest.mark.django_db
def test_admin_refuses_a_special_day_outside_the_calendar(client, users, official_calendar):
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    response = client.post(
        "/admin/casework/specialday/add/",
        {"day": "2150-10-01", "kind": "holiday", "name": "x", "source": "s", "reason": "测试"},
    )
    assert response.status_code == 200
    assert "工作日日历的范围为2004年至2099年，2150-10-01 不在此范围内" in response.content.decode()
    assert not SpecialDay.objects.filter(day__year=2150).exists()


@pytest.mark.django_db
def test_loading_a_year_also_makes_a_closed_cases_provisional_dates_exact(receive, fire, tmp_path):
    """Issue 24 point 10: a case closed while its dates were provisional keeps "（暂定…）" on
    the applicant's page unless the recomputation after loading the year reaches it too."""
    case = receive(arrived=date(2026, 12, 14), now=at(date(2026, 12, 14), 15))
    fire(case, "withdraw", "registrar", on=date(2026, 12, 15), now=at(date(2026, 12, 15), 9))
    case.refresh_from_db()
    assert case.status == "withdrawn"
    assert case.dates_provisional is True
    calendar_import(parse_calendar_file(_write(tmp_path, "y.json", COMPLETE_2027)))
    report = cases_recompute_clocks(now=at(date(2026, 12, 20), 9))
    assert report.checked == 1
    case.refresh_from_db()
    assert case.dates_provisional is False
    assert case.status == "withdrawn"  # the recomputation changes dates, never the status
    event = Event.objects.filter(case=case).last()
    assert event.kind == "recompute"
    assert event.payload["changes"]["dates_provisional"] == [True, False]
    # A closed case with exact dates is left alone.
    assert cases_recompute_clocks(now=at(date(2026, 12, 21), 9), force=True).checked == 0
