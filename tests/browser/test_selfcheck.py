"""Issue 26, must show, in a real browser on the demo data (load_demo opens a self-check):
the liaison officer of 移交安置处 finds the campaign's items in the panel on the workbench,
re-checks a refusal on process information (the evaluation has ended) and concludes to
disclose it now, and concludes to convert a popular topic to proactive disclosure; the head
of the OGI office approves both, each becomes a catalogue item published on the portal's
catalogue; a later request for the same information is answered under Art 36(1) pointing to
that item; and the same subject typed on /apply/ shows the item ("以下信息已主动公开"). axe
checks the self-check pages; the campaign's counts follow. Screenshots go to var/shots/."""

import re
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest
from axe_playwright_python.sync_playwright import Axe

from casework.selfcheck.models import Campaign, Item, Kind
from tests.browser.test_applicant_path import assert_accessible, browser  # noqa: F401
from tests.browser.test_release_review import log_in, shot
from workflows.management.commands.load_demo import DEMO_PASSWORD


def _conclude(page, base, item, conclusion, ground, reasons):
    page.goto(base + "/work/?tab=mine")
    page.locator(f'#selfcheck-panel a[href="/work/selfcheck/items/{item.pk}/"]').click()
    page.wait_for_url(re.compile(rf".*/work/selfcheck/items/{item.pk}/$"))
    page.get_by_label(conclusion, exact=True).check()
    if ground:
        page.get_by_label(ground, exact=True).check()
    page.get_by_label("理由").fill(reasons)
    page.get_by_role("button", name="提交自查结论").click()
    page.wait_for_url(re.compile(rf".*/work/selfcheck/items/{item.pk}/$"))
    assert page.locator("#selfcheck-status").inner_text() == "待负责人审批"


def _approve(page, base, item):
    page.goto(base + "/work/?tab=mine")
    page.locator(f'#selfcheck-panel a[href="/work/selfcheck/items/{item.pk}/"]').click()
    page.wait_for_url(re.compile(rf".*/work/selfcheck/items/{item.pk}/$"))
    page.get_by_role("button", name="同意自查结论").click()
    page.wait_for_url(re.compile(rf".*/work/selfcheck/items/{item.pk}/$"))
    item.refresh_from_db()
    assert item.status == Item.Status.APPROVED
    assert item.catalogue_item_id
    # The catalogue item is published: its public page on the portal.
    page.locator("#selfcheck-catalogue a").click()
    page.wait_for_url(re.compile(rf".*/catalogue/{item.catalogue_item_id}/$"))
    return page.locator("h1").inner_text()


@pytest.mark.django_db(transaction=True)
def test_a_selfcheck_campaign_end_to_end(live_server, browser, tmp_path):  # noqa: F811
    from django.contrib.auth import get_user_model

    from casework.catalogue.models import CatalogueItem

    call_command("load_demo", stdout=StringIO())
    base = live_server.url
    campaign = Campaign.objects.get()
    refusal = campaign.items.get(kind=Kind.WITHHELD)
    topic = campaign.items.get(kind=Kind.POPULAR_TOPIC)
    axe = Axe()

    # The division: both items in its panel, each concluded on its page.
    liaison = log_in(browser, live_server, "liaison_placement")
    liaison.goto(base + "/work/?tab=mine")
    panel = liaison.locator("#selfcheck-panel")
    assert panel.locator("tbody tr").count() == 2
    assert_accessible(liaison, axe)
    liaison.locator(f'#selfcheck-panel a[href="/work/selfcheck/items/{refusal.pk}/"]').click()
    facts = liaison.locator("#selfcheck-item").inner_text()
    assert "第十六条第二款" in facts  # the ground of the refusal
    assert refusal.case.number in facts
    assert "评估意见属于过程性信息" in facts  # the reasons given then
    assert_accessible(liaison, axe)
    shot(liaison, "selfcheck-item")
    _conclude(
        liaison,
        base,
        refusal,
        "应当公开，立即公开",
        "相关程序已经结束，不再属于过程性信息（第十六条第二款）",
        "评估工作已经结束，评估意见不再属于过程性信息，应当公开",
    )
    _conclude(
        liaison,
        base,
        topic,
        "转为主动公开",
        None,
        "三位以上申请人申请相同信息，可以转为主动公开",
    )

    # The head of the OGI office approves both: each is published in the catalogue.
    head = log_in(browser, live_server, "head")
    head.goto(base + "/work/?tab=mine")
    assert head.locator("#selfcheck-panel li").count() == 2  # two conclusions to approve
    published_refusal = _approve(head, base, refusal)
    assert published_refusal == refusal.title
    published_topic = _approve(head, base, topic)
    assert published_topic == topic.title
    assert_accessible(head, axe)
    topic.refresh_from_db()
    catalogue_item = CatalogueItem.objects.get(pk=topic.catalogue_item_id)
    assert (catalogue_item.status, catalogue_item.source_kind) == ("published", "popular_topic")
    assert CatalogueItem.objects.get(pk=refusal.catalogue_item_id).source_kind == "selfcheck"
    head.goto(base + "/catalogue/")
    assert topic.title in head.locator("main").inner_text()

    # The campaign's counts (the report's table) and its figures from the catalogue.
    head.goto(base + f"/work/selfcheck/{campaign.pk}/")
    counts = head.locator("table.counts").first.inner_text()
    assert re.search(r"移交安置处\s+0\s+1\s+1\s+0\s+2", counts), counts
    kinds = head.locator("table.kinds").inner_text()
    assert re.search(r"主动公开目录中来自自查的条目\s+1", kinds)
    assert re.search(r"依申请公开较为集中信息的条目\s+1", kinds)
    assert_accessible(head, axe)
    shot(head, "selfcheck-campaign")
    # The same pages on a phone (390 px): accessible, the page itself not scrolling sideways.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    phone.goto(base + "/login/")
    phone.get_by_label("用户名").fill("head")
    phone.get_by_label("密码").fill(DEMO_PASSWORD)
    with phone.expect_navigation():
        phone.get_by_role("button", name="登录").click()
    for path in (
        f"/work/selfcheck/{campaign.pk}/",
        f"/work/selfcheck/items/{topic.pk}/",
        "/work/selfcheck/",
    ):
        phone.goto(base + path)
        assert_accessible(phone, axe)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
    shot(phone, "selfcheck-campaign-390")

    # A later request for the same information, answered under Art 36(1) pointing to the item.
    from casework.models import Case, Organ
    from workflows.services import case_act, case_receive

    organ = Organ.objects.get()
    users = {u.username: u for u in get_user_model().objects.all()}
    now = timezone.now()
    later = case_receive(
        organ=organ,
        actor=users["registrar"],
        channel="in_person",
        arrived_at=now - timedelta(minutes=5),
        applicant={
            "category": "natural_person",
            "name": "冯雪",
            "id_type": "resident_id",
            "id_number": "370102199506061234",
            "phone": "13606400008",
        },
        request={
            "subject": "2025年退役士兵安置计划",
            "provision_form": "paper",
            "delivery_method": "post",
        },
        now=now,
    )
    today = timezone.localdate()
    for name, who, fields in (
        ("register", "registrar", {}),
        ("assign", "reviewer", {"lead_division_id": topic.division_id}),
        ("claim", "liaison_placement", {}),
    ):
        case_act(
            number=later.number,
            organ=organ,
            name=name,
            actor=users[who],
            on=today,
            fields=fields,
            now=now,
        )
    liaison.goto(base + f"/work/cases/{later.number}/act/propose/")
    liaison.get_by_label(re.compile("^处理结果")).select_option("granted.already_published")
    liaison.get_by_label(re.compile("^主动公开目录信息")).select_option(str(catalogue_item.pk))
    liaison.get_by_role("button", name="提交").click()
    liaison.wait_for_url(re.compile(rf".*/cases/{later.number}/$"))
    for name, who in (("check", "reviewer"), ("approve", "head")):
        case_act(
            number=later.number,
            organ=organ,
            name=name,
            actor=users[who],
            on=today,
            fields={},
            now=now,
        )
    case_act(
        number=later.number,
        organ=organ,
        name="issue_reply",
        actor=users["registrar"],
        on=today,
        fields={},
        now=now,
    )
    later = Case.objects.get(pk=later.pk)
    assert later.status == "replied"
    assert later.disposition == "granted.already_published"
    reply = later.letters.get(kind="reply.granted.already_published")
    from tests.letters.test_letters import pdf_text

    text = "".join(pdf_text(reply.pdf.read(), tmp_path).split())
    assert topic.title in text
    assert f"/catalogue/{catalogue_item.pk}/" in text

    # /apply/: the applicant typing the same subject is shown the published item.
    applicant = browser.new_context(locale="zh-CN").new_page()
    applicant.goto(base + "/apply/")
    applicant.get_by_label("所需政府信息").press_sequentially("2025年退役士兵安置计划", delay=20)
    matches = applicant.locator("#catalogue-matches")
    matches.get_by_role("heading", name="以下信息已主动公开").wait_for()
    assert topic.title in matches.inner_text()
    assert_accessible(applicant, axe)
    shot(applicant, "selfcheck-apply-shows-item")
