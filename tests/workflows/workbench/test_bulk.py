"""Issue 14 point 5: saved views (我的视图) and bulk work on the staff case list. A view keeps
only the filter; each case of a bulk action goes through case_act on its own (role check, row
lock, one event) and gets its own result row; the export masks what the user may not see
(issue 16 point 2) and never carries a formula."""

import io
import logging

from django.test import Client

import openpyxl
import pytest

from casework.models import Case, Event
from casework.permissions import division_revoke_member
from tests.conftest import person
from workflows.models import SavedView


@pytest.fixture
def handling(receive_flow, act, divisions):
    """Three cases in division a's queue (registered and assigned), as the flow leaves them."""

    def _make(n=3, division="a"):
        made = []
        for _i in range(n):
            case = receive_flow()
            act(case, "register", "registrar")
            act(case, "assign", "reviewer", lead_division_id=divisions[division].pk)
            made.append(case)
        return made

    return _make


def _client(users, who):
    client = Client()
    client.force_login(users[who])
    return client


def _rows(response):
    """The result table's rows as (number, result text)."""
    import re

    html = response.content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = re.findall(r"<tr[^>]*>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", body, re.S)
    strip = lambda s: re.sub(r"<[^>]+>", "", s).strip()  # noqa: E731
    return [(strip(a), strip(b)) for a, b in rows]


# --- saved views -------------------------------------------------------------------------


@pytest.mark.django_db
def test_saved_view_create_list_apply_and_delete(users, handling, receive_flow):
    cases = handling(2)
    received = receive_flow()  # not yet registered: status "received"
    client = _client(users, "registrar")
    response = client.post(
        "/cases/views/save/?status=handling&page=2&bogus=1", {"name": "  在办的案件 "}
    )
    assert response.status_code == 302
    assert response["Location"] == "/cases/?status=handling"
    view = SavedView.objects.get()
    assert (view.owner, view.name, view.query) == (
        users["registrar"],
        "在办的案件",
        "status=handling",
    )
    page = client.get("/cases/").content.decode()
    assert "我的视图" in page
    assert 'href="/cases/?status=handling">在办的案件</a>' in page
    applied = client.get("/cases/?status=handling").content.decode()
    assert all(c.number in applied for c in cases)
    assert received.number not in applied
    assert '<strong aria-current="true">在办的案件</strong>' in applied  # the view in use
    # Another user's view is not listed and cannot be deleted by this user.
    other = _client(users, "reviewer")
    assert "在办的案件" not in other.get("/cases/").content.decode()
    response = other.post("/cases/views/delete/", {"view": view.pk}, follow=True)
    assert "视图不存在" in response.content.decode()
    assert SavedView.objects.filter(pk=view.pk).exists()
    response = client.post("/cases/views/delete/?status=handling", {"view": view.pk})
    assert response.status_code == 302
    assert response["Location"] == "/cases/?status=handling"
    assert not SavedView.objects.exists()
    assert client.get("/cases/views/delete/").status_code == 405  # POST only


@pytest.mark.django_db
def test_saved_view_name_is_required_short_and_unique_per_owner(users, handling):
    handling(1)
    client = _client(users, "registrar")
    SavedView.objects.create(owner=users["registrar"], name="超期", query="level=overdue")
    for name, error in [
        ("", "请为视图命名。"),
        ("   ", "请为视图命名。"),
        ("长" * 41, "名称最多 40 个字符。"),
        ("超期", "您已有同名的视图。"),
    ]:
        response = client.post("/cases/views/save/?status=handling", {"name": name})
        assert response.status_code == 400, name
        html = response.content.decode()
        assert error in html, name
        # The error stands next to the name field, and the list keeps its filter.
        assert html.index(error) > html.index('id="id_name"')
        assert 'value="handling" selected' in html
    assert SavedView.objects.count() == 1
    # The same name is free for another user; 40 characters are accepted.
    assert (
        _client(users, "reviewer").post("/cases/views/save/", {"name": "超期"}).status_code == 302
    )
    assert client.post("/cases/views/save/", {"name": "长" * 40}).status_code == 302
    assert SavedView.objects.count() == 3


@pytest.mark.django_db
def test_saved_view_keeps_the_filter_not_the_cases(users, handling, divisions):
    """Visibility is recomputed for the user every time: an officer who leaves the division
    no longer sees its cases through a view saved before."""
    cases = handling(2)
    client = _client(users, "liaison_a")
    client.post("/cases/views/save/?division=" + str(divisions["a"].pk), {"name": "本处室"})
    view = SavedView.objects.get()
    assert view.query == f"division={divisions['a'].pk}"
    assert all(c.number not in view.query for c in cases)
    assert cases[0].number in client.get(f"/cases/?{view.query}").content.decode()
    division_revoke_member(users["liaison_a"], divisions["a"])
    page = _client(users, "liaison_a").get(f"/cases/?{view.query}").content.decode()
    assert all(c.number not in page for c in cases)


# --- bulk actions ------------------------------------------------------------------------


@pytest.mark.django_db
def test_bulk_claim_reports_each_case_and_writes_events_for_the_successes(users, handling, act):
    cases = handling(3)
    act(cases[2], "claim", "liaison_a2")  # already claimed by someone else
    before = Event.objects.count()
    client = _client(users, "liaison_a")
    response = client.post(
        "/cases/bulk/", {"action": "claim", "cases": [c.number for c in cases]}, follow=True
    )
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[:2] == [(cases[0].number, "成功"), (cases[1].number, "成功")]
    assert rows[2][0] == cases[2].number
    assert rows[2][1] == "案件当前为“办理中”状态，不能执行此操作。", rows[2]
    assert "2 件成功（共 3 件）" in response.content.decode()
    claims = Event.objects.filter(kind="claim", actor=users["liaison_a"])
    assert sorted(e.case_id for e in claims) == sorted(c.pk for c in cases[:2])
    assert Event.objects.count() - before == 2
    for case in cases[:2]:
        case.refresh_from_db()
        assert (case.status, case.assignee) == ("investigation", users["liaison_a"])
    cases[2].refresh_from_db()
    assert cases[2].assignee == users["liaison_a2"]


@pytest.mark.django_db
def test_bulk_urge_as_supervisor(users, handling, mailoutbox):
    cases = handling(2)
    client = _client(users, "supervisor")
    assert "催办" in client.get("/cases/").content.decode()
    data = {"action": "urge", "cases": [c.number for c in cases], "message": "请尽快办理。"}
    response = client.post("/cases/bulk/", data, follow=True)
    assert _rows(response) == [(c.number, "成功") for c in cases]
    urges = Event.objects.filter(kind="urge", actor=users["supervisor"])
    assert urges.count() == 2
    assert {e.payload["message"] for e in urges} == {"请尽快办理。"}
    # The lifecycle's own rule still holds per case: one urge a day (the guard's message).
    again = _rows(client.post("/cases/bulk/", data, follow=True))
    assert again == [(c.number, "您今天已经催办过该案件。") for c in cases]
    assert urges.count() == 2
    # The message is required, next to its field.
    response = client.post("/cases/bulk/", {**data, "message": " "}, follow=True)
    assert response.status_code == 400
    assert "请填写催办内容。" in response.content.decode()


@pytest.mark.django_db
def test_bulk_assign_needs_a_division(users, receive_flow, act, divisions):
    cases = [receive_flow() for _i in range(2)]
    for case in cases:
        act(case, "register", "registrar")
    client = _client(users, "reviewer")
    response = client.post(
        "/cases/bulk/", {"action": "assign", "cases": [c.number for c in cases]}, follow=True
    )
    assert response.status_code == 400
    assert "请选择交办的主办处室。" in response.content.decode()
    assert not Event.objects.filter(kind="assign").exists()
    response = client.post(
        "/cases/bulk/",
        {
            "action": "assign",
            "cases": [c.number for c in cases],
            "lead_division": divisions["b"].pk,
        },
        follow=True,
    )
    assert _rows(response) == [(c.number, "成功") for c in cases]
    assert set(
        Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("lead_division", flat=True)
    ) == {divisions["b"].pk}


@pytest.mark.django_db
def test_bulk_action_refused_for_a_role_without_it(users, handling):
    cases = handling(2)
    before = Event.objects.count()
    # A liaison officer may claim but never urge: the bar does not offer it, a forged POST
    # is refused as a whole.
    client = _client(users, "liaison_a")
    page = client.get("/cases/").content.decode()
    assert '<option value="claim">认领</option>' in page
    assert 'value="urge"' not in page
    assert 'value="assign"' not in page
    assert 'name="message"' not in page  # nor the inputs of those actions
    assert 'name="lead_division"' not in page
    response = client.post(
        "/cases/bulk/",
        {"action": "urge", "cases": [c.number for c in cases], "message": "快"},
        follow=True,
    )
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    # The supervisor may not claim.
    response = _client(users, "supervisor").post(
        "/cases/bulk/", {"action": "claim", "cases": [c.number for c in cases]}, follow=True
    )
    assert response.status_code == 400
    assert Event.objects.count() == before
    assert _client(users, "liaison_a").get("/cases/bulk/").status_code == 405


@pytest.mark.django_db
def test_bulk_action_on_a_case_the_user_cannot_see_is_not_found(users, handling):
    own = handling(1, "a")
    other = handling(1, "b")
    before = Event.objects.count()
    client = _client(users, "liaison_a")
    response = client.post(
        "/cases/bulk/",
        {"action": "claim", "cases": [other[0].number, own[0].number, "2099-99999"]},
        follow=True,
    )
    assert _rows(response) == [
        (other[0].number, "案件不存在。"),
        (own[0].number, "成功"),
        ("2099-99999", "案件不存在。"),
    ]
    assert Event.objects.count() - before == 1
    assert not Event.objects.filter(case=other[0], kind="claim").exists()


@pytest.mark.django_db
def test_bulk_select_page_and_cap(users, handling, monkeypatch):
    cases = handling(3)
    client = _client(users, "liaison_a")
    response = client.post(
        "/cases/bulk/",
        {"action": "claim", "select_page": "on", "page_cases": [c.number for c in cases]},
        follow=True,
    )
    assert sorted(n for n, _r in _rows(response)) == sorted(c.number for c in cases)
    monkeypatch.setattr("workflows.bulk.BULK_MAX_CASES", 2)
    response = client.post(
        "/cases/bulk/", {"action": "claim", "cases": [c.number for c in cases]}, follow=True
    )
    assert response.status_code == 400
    assert "一次最多处理 2 件案件，已勾选 3 件" in response.content.decode()
    response = client.post("/cases/bulk/", {"action": "claim"}, follow=True)
    assert response.status_code == 400
    assert "请先勾选要处理的案件。" in response.content.decode()


@pytest.mark.django_db
def test_bulk_needs_csrf(users, handling):
    cases = handling(1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["liaison_a"])
    response = client.post(
        "/cases/bulk/", {"action": "claim", "cases": [cases[0].number]}, follow=True
    )
    assert response.status_code == 403
    assert not Event.objects.filter(kind="claim").exists()


# --- export ------------------------------------------------------------------------------


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


@pytest.mark.django_db
def test_export_selected_rows_masks_contacts_and_carries_no_formula(users, handling, caplog):
    cases = handling(3)
    Case.objects.filter(pk=cases[0].pk).update(subject='=HYPERLINK("http://evil","点击")')
    Case.objects.filter(pk=cases[1].pk).update(subject="+1-2")
    picked = [cases[0].number, cases[1].number]
    caplog.set_level(logging.INFO, logger="casework.security")
    response = _client(users, "supervisor").post(
        "/cases/bulk/?status=handling", {"action": "export", "cases": picked}
    )
    book = _book(response)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "申请人", "电话", "电子邮件")
    assert sorted(r[0] for r in rows[1:]) == sorted(picked)
    subjects = {r[0]: r[4] for r in rows[1:]}
    assert subjects[cases[0].number] == '=HYPERLINK("http://evil","点击")'
    assert subjects[cases[1].number] == "+1-2"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    phone, email = person()["phone"], person()["email"]
    assert {(r[2], r[3]) for r in rows[1:]} == {("138****8000", "z***@example.com")}
    assert phone not in str(rows)
    assert email not in str(rows)
    lines = [r.getMessage() for r in caplog.records if r.name == "casework.security"]
    assert any(
        line.startswith("case list export user=supervisor rows=2 of=2 selected=2") for line in lines
    )
    # The office sees the contact details in full.
    response = _client(users, "registrar").post(
        "/cases/bulk/", {"action": "export", "cases": picked}
    )
    rows = list(_book(response).worksheets[0].iter_rows(values_only=True))
    assert {(r[2], r[3]) for r in rows[1:]} == {(phone, email)}


@pytest.mark.django_db
def test_export_without_selection_is_the_filtered_visible_list_capped(
    users, handling, receive_flow, monkeypatch
):
    mine = handling(2, "a")
    theirs = handling(1, "b")
    receive_flow()  # received, not in the filter
    client = _client(users, "liaison_a")
    rows = list(
        _book(client.post("/cases/bulk/?status=handling", {"action": "export"}))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert sorted(r[0] for r in rows[1:]) == sorted(c.number for c in mine)
    assert theirs[0].number not in str(rows)
    # A ticked case of another division is not exported either.
    rows = list(
        _book(client.post("/cases/bulk/", {"action": "export", "cases": [theirs[0].number]}))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert rows[1:] == []
    monkeypatch.setattr("workflows.bulk.EXPORT_MAX_ROWS", 1)
    monkeypatch.setattr("workflows.workbench.bulk_views.EXPORT_MAX_ROWS", 1)
    response = client.post("/cases/bulk/?status=handling", {"action": "export"})
    book = _book(response)
    assert len(list(book.worksheets[0].iter_rows(values_only=True))) == 2
    about = "\n".join(
        str(v) for row in book.worksheets[1].iter_rows(values_only=True) for v in row if v
    )
    assert "仅导出了前 1 件（共 2 件）" in about
    assert response["X-Export-Truncated"] == "2"


@pytest.mark.django_db
def test_reloading_the_result_page_shows_the_result_and_acts_on_nothing_again(users, handling):
    """Post/redirect/get: the bulk POST answers with a redirect to its result page; reloading
    that page (F5) shows the same rows and writes no event. Another session cannot open it."""
    cases = handling(2)
    client = _client(users, "liaison_a")
    response = client.post("/cases/bulk/", {"action": "claim", "cases": [c.number for c in cases]})
    assert response.status_code == 302
    result_url = response["Location"]
    assert result_url.startswith("/cases/bulk/")
    before = Event.objects.count()
    first, again = _rows(client.get(result_url)), _rows(client.get(result_url))
    assert first == again == [(c.number, "成功") for c in cases]
    assert Event.objects.count() == before
    other = _client(users, "liaison_a2").get(result_url, follow=True)
    assert other.redirect_chain[-1][0] == "/cases/"
    assert "该批量操作的结果已无法查看。" in other.content.decode()
