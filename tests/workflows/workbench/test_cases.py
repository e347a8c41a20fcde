"""Staff pages: login, the filtered case list, the case page with its Chinese history, and
the same 404 for a missing case and another division's case."""

from datetime import date

import pytest

from casework.choices import Channel
from tests.conftest import NOW, company
from workflows.workbench.cases import PAGE_SIZE


@pytest.fixture
def routed(receive, fire, divisions):
    """One case routed to division a, one to division b, one unrouted online case."""
    a = receive(arrived=date(2026, 3, 2))
    fire(a, "register", "registrar", on=date(2026, 3, 2))
    fire(a, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    b = receive(arrived=date(2026, 3, 9), applicant=company())
    fire(b, "register", "registrar", on=date(2026, 3, 9))
    fire(b, "assign", "reviewer", on=date(2026, 3, 9), lead_division_id=divisions["b"].pk)
    online = receive(channel=Channel.ONLINE, arrived=date(2026, 3, 10))
    return {"a": a, "b": b, "online": online}


@pytest.mark.django_db
def test_login_page_is_chinese_and_pages_need_login(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()
    assert 'lang="zh-hans"' in response.content.decode()
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_login_with_password(client, users):
    response = client.post("/login/", {"username": "registrar", "password": "pw-registrar"})
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200
    client.logout()
    response = client.post("/login/", {"username": "registrar", "password": "wrong"})
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.django_db
def test_office_sees_all_cases_and_filters(client, users, routed, divisions):
    client.force_login(users["registrar"])
    page = client.get("/cases/").content.decode()
    for case in routed.values():
        assert case.number in page
    assert "共 3 件" in page
    page = client.get("/cases/", {"status": "received"}).content.decode()
    assert routed["online"].number in page
    assert routed["a"].number not in page
    page = client.get("/cases/", {"division": divisions["b"].pk}).content.decode()
    assert routed["b"].number in page
    assert routed["a"].number not in page
    page = client.get("/cases/", {"channel": "online"}).content.decode()
    assert routed["online"].number in page
    assert routed["b"].number not in page
    page = client.get(
        "/cases/", {"received_from": "2026-03-05", "received_to": "2026-03-31"}
    ).content.decode()
    assert routed["b"].number in page
    assert routed["a"].number not in page
    page = client.get("/cases/", {"q": "科技"}).content.decode()
    assert routed["b"].number in page
    assert routed["a"].number not in page
    page = client.get(
        "/cases/", {"received_from": "2026-03-31", "received_to": "2026-03-01"}
    ).content.decode()
    assert "结束日期早于开始日期" in page


@pytest.mark.django_db
def test_liaison_sees_only_own_division(client, users, routed):
    client.force_login(users["liaison_a"])
    page = client.get("/cases/").content.decode()
    assert routed["a"].number in page
    assert routed["b"].number not in page
    assert routed["online"].number not in page
    assert client.get(f"/cases/{routed['a'].number}/").status_code == 200
    assert client.get(f"/cases/{routed['b'].number}/").status_code == 404
    assert client.get("/cases/2099-9999/").status_code == 404


@pytest.mark.django_db
def test_co_division_sees_the_case(client, users, receive, fire, divisions):
    case = receive(arrived=date(2026, 3, 2))
    fire(case, "register", "registrar", on=date(2026, 3, 2))
    fire(
        case,
        "assign",
        "reviewer",
        on=date(2026, 3, 2),
        lead_division_id=divisions["a"].pk,
        co_division_ids=[divisions["b"].pk],
    )
    client.force_login(users["liaison_b"])
    assert client.get(f"/cases/{case.number}/").status_code == 200


@pytest.mark.django_db
def test_user_without_role_sees_nothing(client, users, routed):
    client.force_login(users["nobody"])
    assert "没有符合条件的案件" in client.get("/cases/").content.decode()
    assert client.get(f"/cases/{routed['a'].number}/").status_code == 404


@pytest.mark.django_db
def test_case_page_masks_the_id_and_shows_history_in_chinese(client, users, routed):
    client.force_login(users["supervisor"])
    page = client.get(f"/cases/{routed['a'].number}/").content.decode()
    assert "3701**********1237" in page
    assert "370102198001011237" not in page
    for text in [
        "办理记录",
        "接收",
        "登记",
        "交办处室",
        "已接收",
        "已登记",
        "主办处室",
        "安置处",
        "答复期限",
        "2026年3月30日",
    ]:
        assert text in page, text


@pytest.mark.django_db
def test_case_list_paginates(client, users, receive):
    for _ in range(PAGE_SIZE + 1):
        receive()
    client.force_login(users["registrar"])
    first = client.get("/cases/").content.decode()
    assert "第 1 页，共 2 页" in first
    second = client.get("/cases/", {"page": 2}).content.decode()
    assert "第 2 页，共 2 页" in second
    assert second.count("<tr>") == 1 + 1  # header + the one case on page 2


@pytest.mark.django_db
def test_case_list_query_count_does_not_grow_with_cases(
    client, users, receive, django_assert_max_num_queries
):
    for _ in range(10):
        receive()
    client.force_login(users["registrar"])
    with django_assert_max_num_queries(10):
        assert client.get("/cases/").status_code == 200


def test_now_is_a_weekday():
    assert NOW.weekday() == 0
