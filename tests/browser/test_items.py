"""Issue 21, point 6, in a real browser: the registrar registers a numbered-list request (the
items come split in the registration form), the liaison officer proposes item by item (one
block per item), and the case page lists each item with its outcome. axe-core checks the
forms; the propose form is saved as a screenshot."""

from __future__ import annotations

import re

from django.utils import timezone

import pytest

from casework.items import RequestItem
from tests.browser.test_applicant_path import browser  # noqa: F401
from tests.browser.test_staff_path import Walk, shots  # noqa: F401
from tests.conftest import REQUEST, person

NUMBERED = "1. 本市2025年退役士兵安置计划 2. 安置计划落实情况 3. 安置资金使用明细"


@pytest.mark.django_db(transaction=True)
def test_register_a_numbered_request_and_propose_per_item(
    live_server,
    browser,  # noqa: F811
    organ,
    divisions,
    users,
    shots,  # noqa: F811
):
    from workflows.portal.services import application_submit

    case = application_submit(
        organ=organ,
        applicant=person(),
        request={**REQUEST, "subject": NUMBERED},
        attachments=[],
        submission_token="items-path",
        now=timezone.now(),
    ).case
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    walk = Walk(context.new_page(), live_server.url, 1280, shots)
    page = walk.page

    walk.log_in("registrar")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    walk.act("确认收到")

    def check_items() -> None:
        items = page.get_by_label("申请事项")
        assert items.input_value() == (
            "本市2025年退役士兵安置计划\n安置计划落实情况\n安置资金使用明细"
        )

    walk.act("登记", fill=check_items, check="")
    assert [i.text for i in RequestItem.objects.filter(case=case)] == [
        "本市2025年退役士兵安置计划",
        "安置计划落实情况",
        "安置资金使用明细",
    ]
    walk.act("交办处室", fill=lambda: walk.choose(page.get_by_label("主办处室"), label="安置处"))

    walk.log_in("liaison_a")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    walk.act("认领")

    def fill_items() -> None:
        blocks = page.locator("fieldset.item-decision")
        assert blocks.count() == 3
        assert blocks.nth(1).locator("legend").inner_text() == "二、关于“安置计划落实情况”"
        one, two, three = (blocks.nth(n) for n in range(3))
        one.get_by_label("处理结果").select_option("granted")
        one.get_by_label("拟提供的文件").fill("《2025年退役士兵安置计划》")
        one.get_by_label("其他提供方式").select_option("post")
        one.get_by_label("查阅或邮寄日期").fill("2026-03-20")
        two.get_by_label("处理结果").select_option("unable.not_held")
        two.get_by_label("理由", exact=True).fill("本机关未制作落实情况的汇总材料。")
        two.get_by_label("检索的场所或档案（第三十六条第（四）项）").fill("移交安置处业务档案")
        two.get_by_label("检索关键词").fill("安置 落实情况")
        three.get_by_label("处理结果").select_option("refused.internal_affairs")
        three.get_by_label("理由", exact=True).fill("资金使用明细属于内部财务管理信息。")

    walk.act("提出拟办意见", fill=fill_items, check="items-propose-form")
    assert "审核中" in page.content()
    listed = page.locator("ol.request-items li")
    assert listed.count() == 3
    assert re.search("无法提供", listed.nth(1).inner_text())
    case.refresh_from_db()
    assert case.disposition == "partial"
    page.screenshot(path=str(shots / "items-case-page-1280.png"), full_page=True)
    context.close()
