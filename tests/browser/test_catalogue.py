"""Issue 26 in a real browser: the catalogue (list, search, item) and the guide (current and
an earlier version, with 更新日期) pass axe at 1280 and 390 px and do not scroll sideways at
390; on /apply/ the typed subject shows the matching published item ("以下信息已主动公开"),
and the application records that it was shown; the office's catalogue pages pass axe too."""

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe

from casework.catalogue.models import Category, ItemShown
from casework.catalogue.services import (
    catalogue_item_approve,
    catalogue_item_create,
    catalogue_item_withdraw,
    categories_ensure,
    guide_approve,
    guide_draft_create,
)
from casework.models import Case
from tests.browser.test_applicant_path import _png, assert_accessible, browser  # noqa: F401
from tests.conftest import NOW, VALID_RESIDENT_ID, at, real_pdf


@pytest.fixture
def catalogue(organ, users, divisions):
    categories_ensure()
    items = []
    for title, doc, category, day in (
        ("济南市退役军人事务局2025年度部门预算", "", "财政预决算", date(2025, 2, 10)),
        (
            "济南市退役军人就业创业扶持政策",
            "济退役军人发〔2025〕12号",
            "政策法规",
            date(2025, 8, 1),
        ),
        (
            "关于市人大代表建议第105号的答复",
            "济退役军人建〔2025〕5号",
            "人大代表建议和政协提案办理",
            date(2025, 9, 3),
        ),
    ):
        item = catalogue_item_create(
            organ=organ,
            actor=users["registrar"],
            now=NOW,
            title=title,
            doc_number=doc,
            division=divisions["a"],
            category=Category.objects.get(name=category),
            body="第一段说明。\n\n第二段说明。",
            published_on=day,
            attachments=[("全文.pdf", real_pdf())],
        )
        items.append(catalogue_item_approve(item=item, actor=users["head"], now=NOW))
    catalogue_item_withdraw(item=items[2], actor=users["head"], now=NOW, reason="已办结归档")
    first = guide_draft_create(organ=organ, actor=users["reviewer"], now=at(date(2026, 1, 5)))
    guide_approve(version=first, actor=users["head"], now=at(date(2026, 1, 6)))
    second = guide_draft_create(organ=organ, actor=users["reviewer"], now=NOW)
    guide_approve(version=second, actor=users["head"], now=NOW)
    return items


def _no_sideways_scroll(page, width):
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url} is {overflow}px wide at {width}px"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_catalogue_and_guide_pages_are_accessible(live_server, browser, catalogue, width):  # noqa: F811
    axe = Axe()
    page = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}).new_page()
    item = catalogue[1]
    for path in (
        "/catalogue/",
        "/catalogue/?q=就业创业&category=&validity=valid",
        "/catalogue/?q=没有这样的信息",
        f"/catalogue/{item.pk}/",
        f"/catalogue/{catalogue[2].pk}/",  # no longer in force: marked
        "/guide/",
        "/guide/versions/1/",
    ):
        page.goto(live_server.url + path)
        assert_accessible(page, axe)
        _no_sideways_scroll(page, width)
    page.goto(live_server.url + "/guide/")
    assert "更新日期：2026年3月16日" in page.content()
    page.get_by_role("link", name=re.compile("第1版")).click()
    assert "更新日期：2026年1月6日" in page.content()
    assert "这是指南的历史版本" in page.content()
    page.goto(live_server.url + "/guide/")
    page.get_by_role("link", name="查阅、检索主动公开目录").click()
    page.get_by_label("标题、文号或正文中的词语").fill("就业创业")
    page.get_by_role("main").get_by_role("button", name="搜索").click()
    page.get_by_role("link", name=item.title).click()
    assert "济退役军人发〔2025〕12号" in page.content()
    assert "2025年8月1日" in page.content()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_apply_shows_what_is_already_published(live_server, browser, catalogue, width):  # noqa: F811
    axe = Axe()
    page = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}).new_page()
    page.goto(live_server.url + "/apply/")
    assert page.get_by_role("link", name="主动公开目录").count() >= 1  # the form links it
    page.get_by_label("所需政府信息").fill("退役军人就业创业扶持政策文件")
    box = page.locator("#catalogue-matches")
    box.get_by_text("以下信息已主动公开").wait_for()
    assert box.get_by_role("link", name=re.compile("济南市退役军人就业创业扶持政策")).count() == 1
    assert_accessible(page, axe)
    _no_sideways_scroll(page, width)
    # The applicant applies anyway: the case records what it was shown.
    page.get_by_label("姓名或单位名称").fill("李明")
    page.get_by_label(re.compile(r"^证件类型")).select_option("resident_id")
    page.get_by_label(re.compile(r"^证件号码")).fill(VALID_RESIDENT_ID)
    page.get_by_label(re.compile(r"^电话")).fill("13800138000")
    page.get_by_label(re.compile(r"^身份证明")).set_input_files(
        {"name": "id.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/apply/done/.*"))
    case = Case.objects.get()
    assert list(ItemShown.objects.filter(case=case).values_list("item", flat=True)) == [
        catalogue[1].pk
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_office_catalogue_pages_are_accessible(live_server, browser, catalogue, users, width):  # noqa: F811
    axe = Axe()
    page = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}).new_page()
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill("head")
    page.get_by_label("密码").fill("pw-head")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/work/")
    for path in (
        "/work/catalogue/",
        "/work/catalogue/new/",
        f"/work/catalogue/{catalogue[0].pk}/",
        f"/work/catalogue/{catalogue[0].pk}/edit/",
        "/work/catalogue/guide/",
    ):
        page.goto(live_server.url + path)
        assert_accessible(page, axe)
    page.goto(live_server.url + "/work/catalogue/guide/")
    page.get_by_role("button", name="新建草稿").click()
    page.get_by_label("收费").fill("依申请提供政府信息，不收取费用。")
    page.get_by_role("button", name="批准并在门户网站发布").click()
    assert_accessible(page, axe)
    page.goto(live_server.url + "/guide/")
    assert "不收取费用" in page.content()


@pytest.mark.django_db(transaction=True)
def test_a_later_request_is_answered_by_pointing_to_the_item(
    live_server,
    browser,  # noqa: F811
    catalogue,
    divisions,
    receive_flow,
    act,
):
    """The officer chooses the catalogue item on the proposal form (Art 36(1)); the decision
    records its title, date and address, and the case records the item."""
    from casework.catalogue.models import ItemCited
    from casework.models import Event

    case = receive_flow()
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a")
    axe = Axe()
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill("liaison_a")
    page.get_by_label("密码").fill("pw-liaison_a")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/work/")
    page.goto(f"{live_server.url}/work/cases/{case.number}/act/propose/")
    page.get_by_label(re.compile(r"^处理结果")).select_option("granted.already_published")
    options = (
        page.get_by_label(re.compile(r"^主动公开目录信息")).locator("option").all_inner_texts()
    )
    assert "关于市人大代表建议第105号的答复（济退役军人建〔2025〕5号）" not in options  # 失效
    page.get_by_label(re.compile(r"^主动公开目录信息")).select_option(str(catalogue[1].pk))
    assert_accessible(page, axe)
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_url(re.compile(r".*/cases/[^/]+/$"))
    payload = Event.objects.get(case=case, kind="propose").payload
    assert payload["catalogue_item"] == catalogue[1].pk
    assert (
        "《济南市退役军人就业创业扶持政策》（济退役军人发〔2025〕12号，2025年8月1日发布）"
        in (payload["where_published"])
    )
    assert ItemCited.objects.get(case=case).item == catalogue[1]
    assert catalogue[1].title in page.locator("#catalogue-case").inner_text()
