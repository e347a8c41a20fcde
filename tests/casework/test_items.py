"""Issue 21, point 6: every item of a multi-item request is answered. The three-item request
that was answered "granted" with one item's file (答非所问) is split at registration, a
proposal answering one item is refused naming the others, a full per-item proposal is
accepted and the case's disposition is derived from the items."""

from datetime import date

import pytest

from casework.choices import Disposition as D
from casework.errors import InvalidInput, NotPermitted
from casework.items import RequestItem, overall_disposition, split_items, split_request
from casework.models import Event
from tests.provision import BY_POST

THREE = "本市退役士兵安置计划；落实情况；资金使用明细"
ITEMS = ["本市退役士兵安置计划", "落实情况", "资金使用明细"]


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (THREE, ITEMS),
        (
            "请提供：1. 安置计划 2. 落实情况 3. 资金使用明细。",
            ["安置计划", "落实情况", "资金使用明细"],
        ),
        ("1、安置计划\n2、落实情况\n3、资金使用明细", ["安置计划", "落实情况", "资金使用明细"]),
        ("一、安置计划；二、落实情况；三、资金使用明细", ["安置计划", "落实情况", "资金使用明细"]),
        ("（1）安置计划（2）落实情况", ["安置计划", "落实情况"]),
        ("①安置计划②落实情况③资金使用明细", ["安置计划", "落实情况", "资金使用明细"]),
        # Nested: the numbering that starts first is the list; the inner one stays in its item.
        (
            "一、安置计划（1）城镇（2）农村 二、落实情况",
            ["安置计划（1）城镇（2）农村", "落实情况"],
        ),
        # Not lists: a year, an article's item, a decimal, one "1." alone.
        ("2025年度退役士兵安置计划", ["2025年度退役士兵安置计划"]),
        ("依据第三十六条第（一）项公开的文件", ["依据第三十六条第（一）项公开的文件"]),
        ("标准为1.5倍的补助文件", ["标准为1.5倍的补助文件"]),
        ("1. 安置计划全文", ["1. 安置计划全文"]),
        ("", []),
    ],
)
def test_split_items(text, items):
    assert split_items(text) == items


def test_split_request_reads_the_subject_then_the_description():
    assert split_request(THREE, "请提供全文。") == ITEMS
    assert split_request("安置相关信息", "1. 安置计划 2. 落实情况") == ["安置计划", "落实情况"]
    assert split_request("2025年度安置计划", "请提供全文。") == ["2025年度安置计划"]


def test_overall_disposition_rule():
    assert overall_disposition([D.GRANTED, D.GRANTED]) == D.GRANTED
    assert overall_disposition([D.GRANTED, D.GRANTED_ALREADY_PUBLISHED]) == D.GRANTED
    assert overall_disposition([D.GRANTED, D.PARTIAL]) == D.PARTIAL
    assert overall_disposition([D.GRANTED, D.UNABLE_NOT_HELD]) == D.PARTIAL
    assert overall_disposition([D.REFUSED_STATE_SECRET, D.GRANTED]) == D.PARTIAL
    assert overall_disposition([D.UNABLE_NOT_HELD, D.REFUSED_INTERNAL_AFFAIRS]) == (
        D.REFUSED_INTERNAL_AFFAIRS
    )
    assert overall_disposition([D.NOT_PROCESSED_PUBLICATION, D.UNABLE_NOT_HELD]) == (
        D.UNABLE_NOT_HELD
    )


def full_proposal():
    return [
        {
            "position": 1,
            "disposition": D.GRANTED,
            "files": "《2025年退役士兵安置计划》",
            # A granted item says how it provides (issue 21 point 2): here, posted.
            "arrangement": "post",
            "arranged_on": "2026-03-20",
        },
        {
            "position": 2,
            "disposition": D.UNABLE_NOT_HELD,
            "reasons": "经检索，本机关未制作落实情况的汇总材料。",
            # Art 36(4): where and how this item was searched (casework.decision_rules).
            "search_places": "移交安置处业务档案",
            "search_systems": "OA办公系统",
            "search_terms": "安置 落实情况",
        },
        {
            "position": 3,
            "disposition": D.REFUSED_INTERNAL_AFFAIRS,
            "basis": "16.1+36.3",
            "reasons": "资金使用明细属于本机关内部财务管理信息。",
        },
    ]


def receive_three(organ, users, subject=THREE, arrived=date(2026, 3, 2), applicant=None):
    from tests.conftest import NOW, REQUEST, at, person
    from workflows.services import case_receive

    return case_receive(
        organ=organ,
        actor=users["registrar"],
        channel="in_person",
        arrived_at=at(arrived),
        applicant=applicant or person(),
        request={**REQUEST, "subject": subject},
        now=NOW,
    )


@pytest.fixture
def three_items(organ, users, act, divisions):
    """The request of the finding, registered without typing its items and claimed."""
    case = receive_three(organ, users)
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_three_item_request_is_split_at_registration(three_items):
    assert [i.text for i in RequestItem.objects.filter(case=three_items)] == ITEMS
    registered = Event.objects.get(case=three_items, kind="register")
    assert registered.payload["request_items"] == ITEMS


@pytest.mark.django_db
def test_a_proposal_answering_one_item_is_refused_naming_the_others(three_items, act):
    # The finding: "granted" with one item's file, as a whole.
    with pytest.raises(InvalidInput) as whole:
        act(
            three_items,
            "propose",
            "liaison_a",
            on=date(2026, 3, 10),
            disposition=D.GRANTED,
            basis="",
            files="《2025年退役士兵安置计划》",
        )
    assert "第2项“落实情况”" in whole.value.message
    assert "第3项“资金使用明细”" in whole.value.message
    with pytest.raises(InvalidInput) as one:
        act(three_items, "propose", "liaison_a", on=date(2026, 3, 10), items=full_proposal()[:1])
    assert "第2项“落实情况”、第3项“资金使用明细”尚未给出处理结果" in one.value.message
    assert "第1项" not in one.value.message
    # An item's decision meets the rules of a single one: a refusal states its reasons.
    bad = full_proposal()
    bad[2].pop("reasons")
    with pytest.raises(InvalidInput) as reasons:
        act(three_items, "propose", "liaison_a", on=date(2026, 3, 10), items=bad)
    assert "第3项“资金使用明细”：理由：" in reasons.value.message
    # … and its substance (issue 21 point 5): a placeholder reason, a "not held" item
    # without its search record.
    placeholder = full_proposal()
    placeholder[2]["reasons"] = "无"
    with pytest.raises(InvalidInput) as empty:
        act(three_items, "propose", "liaison_a", on=date(2026, 3, 10), items=placeholder)
    assert "第3项“资金使用明细”" in empty.value.message
    unsearched = full_proposal()
    for key in ("search_places", "search_systems", "search_terms"):
        unsearched[1].pop(key)
    with pytest.raises(InvalidInput) as search:
        act(three_items, "propose", "liaison_a", on=date(2026, 3, 10), items=unsearched)
    assert "第2项“落实情况”" in search.value.message
    three_items.refresh_from_db()
    assert three_items.status == "investigation"
    assert three_items.disposition == ""
    assert not Event.objects.filter(case=three_items, kind="propose").exists()


@pytest.mark.django_db
def test_a_full_per_item_proposal_is_accepted(three_items, act):
    act(three_items, "propose", "liaison_a", on=date(2026, 3, 10), items=full_proposal())
    three_items.refresh_from_db()
    assert three_items.status == "review"
    assert three_items.disposition == D.PARTIAL  # one item provided, two not
    rows = list(RequestItem.objects.filter(case=three_items).values_list("disposition", flat=True))
    assert rows == [D.GRANTED, D.UNABLE_NOT_HELD, D.REFUSED_INTERNAL_AFFAIRS]
    payload = Event.objects.get(case=three_items, kind="propose").payload
    assert [i["position"] for i in payload["item_decisions"]] == [1, 2, 3]
    assert payload["item_decisions"][2]["basis"].endswith("第十六条第一款、第三十六条第（三）项")


@pytest.mark.django_db
def test_the_registrar_sets_and_changes_the_items(receive_flow, act):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2), items="安置计划\n2. 落实情况")
    assert [i.text for i in RequestItem.objects.filter(case=case)] == ["安置计划", "落实情况"]
    act(case, "set_items", "registrar", on=date(2026, 3, 3), items="安置计划")
    assert not RequestItem.objects.filter(case=case).exists()  # one item: the request itself
    event = Event.objects.filter(case=case, kind="set_items").get()
    assert event.payload["request_items"] == []
    assert event.payload["items_before"] == [
        "安置计划",
        "落实情况",
    ]
    with pytest.raises(NotPermitted):
        act(case, "set_items", "liaison_a", on=date(2026, 3, 3), items="甲\n乙")


@pytest.mark.django_db
def test_a_single_item_case_is_decided_as_before(receive_flow, act, divisions):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    assert "request_items" not in Event.objects.get(case=case, kind="register").payload
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    with pytest.raises(InvalidInput):
        act(case, "propose", "liaison_a", on=date(2026, 3, 10), items=full_proposal())
    act(
        case,
        "propose",
        "liaison_a",
        on=date(2026, 3, 10),
        disposition=D.GRANTED,
        basis="",
        **BY_POST,
    )
    payload = Event.objects.get(case=case, kind="propose").payload
    assert "item_decisions" not in payload
    assert payload["disposition"] == D.GRANTED


@pytest.mark.django_db
def test_the_staff_pages_register_and_propose_item_by_item(organ, users, act, divisions, client):
    """The registration form is prefilled with the split; the propose form has one block per
    item (items-<n>-<field>); the case page lists the items with their outcomes and the
    history names each item's decision."""
    case = receive_three(organ, users, subject="请提供：1. 安置计划 2. 落实情况")
    client.force_login(users["registrar"])
    form = client.get(f"/work/cases/{case.number}/act/register/").content.decode()
    assert "安置计划\n落实情况</textarea>" in form
    response = client.post(
        f"/work/cases/{case.number}/act/register/",
        {"on": "2026-03-02", "items": "安置计划\n落实情况\n资金使用明细"},
    )
    assert response.status_code == 302
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    client.force_login(users["liaison_a"])
    page = client.get(f"/work/cases/{case.number}/act/propose/").content.decode()
    assert page.count('class="item-decision"') == 3
    assert 'name="items-3-disposition"' in page
    assert 'name="disposition"' not in page  # no decision of the whole
    fields = {
        "on": "2026-03-10",
        "items-1-disposition": D.GRANTED,
        "items-1-files": "《安置计划》",
        "items-1-arrangement": "post",
        "items-1-arranged_on": "2026-03-20",
    }
    refused = client.post(f"/work/cases/{case.number}/act/propose/", fields)
    assert refused.status_code == 400
    assert "第2项“落实情况”、第3项“资金使用明细”尚未给出处理结果" in refused.content.decode()
    fields.update(
        {
            "items-2-disposition": D.UNABLE_NOT_HELD,
            "items-2-reasons": "未制作落实情况的汇总材料。",
            "items-2-search_places": "移交安置处业务档案",
            "items-2-search_terms": "落实情况",
            "items-3-disposition": D.GRANTED_ALREADY_PUBLISHED,
            "items-3-where_published": "本机关网站“财政资金”栏目",
        }
    )
    assert client.post(f"/work/cases/{case.number}/act/propose/", fields).status_code == 302
    case.refresh_from_db()
    assert case.disposition == D.PARTIAL
    detail = client.get(f"/cases/{case.number}/").content.decode()
    assert detail.count("<li data-position=") == 3
    assert "1.安置计划：予以公开" in detail
    assert "逐项处理结果" in detail


@pytest.mark.django_db
def test_the_api_takes_the_items_decisions(three_items, users):
    from rest_framework.test import APIClient

    from workflows.api.tokens import ApiToken

    client = APIClient()
    _token, raw = ApiToken.issue(users["liaison_a"], name="test", scope="write", days=1)
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    url = f"/api/v1/cases/{three_items.number}/transitions/propose/"
    one = client.post(url, {"on": "2026-03-10", "items": full_proposal()[:1]}, format="json")
    assert one.status_code == 400
    assert "第2项“落实情况”、第3项“资金使用明细”尚未给出处理结果" in one.content.decode()
    full = client.post(url, {"on": "2026-03-10", "items": full_proposal()}, format="json")
    assert full.status_code == 200, full.content.decode()
    assert full.json()["disposition"] == D.PARTIAL
