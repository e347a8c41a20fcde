"""The catalogue's pages: public list, search and item (drafts never shown), the office's
pages with their actions by role, the guide's versions with 更新日期, and the match shown on
/apply/ recorded on the case."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from casework.catalogue.models import CatalogueItem, Category, GuideVersion, ItemShown
from casework.catalogue.services import (
    catalogue_item_approve,
    catalogue_item_create,
    catalogue_item_withdraw,
    categories_ensure,
    guide_approve,
    guide_draft_create,
    guide_draft_update,
)
from casework.models import Case
from tests.conftest import NOW, at, real_pdf
from tests.workflows.portal.test_portal import _form

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(organ, users, divisions):
    categories_ensure()
    category = Category.objects.get(name="财政预决算")
    item = catalogue_item_create(
        organ=organ,
        actor=users["registrar"],
        now=NOW,
        title="济南市退役军人事务局2025年度部门预算",
        doc_number="济退役军人财〔2025〕1号",
        division=divisions["c"],
        category=category,
        body="第一段。\n\n第二段。",
        published_on=date(2025, 2, 10),
        attachments=[("预算.pdf", real_pdf())],
    )
    return catalogue_item_approve(item=item, actor=users["head"], now=NOW)


@pytest.fixture
def draft(organ, users, divisions):
    categories_ensure()
    return catalogue_item_create(
        organ=organ,
        actor=users["registrar"],
        now=NOW,
        title="尚未公开的草稿标题",
        category=Category.objects.get(name="公示公告"),
    )


def test_public_list_search_and_item(client, published, draft):
    page = client.get("/catalogue/").content.decode()
    assert published.title in page
    assert draft.title not in page
    assert "共1条" in page
    assert published.title in client.get("/catalogue/?q=部门预算").content.decode()
    assert published.title not in client.get("/catalogue/?q=抚恤").content.decode()
    category = published.category_id
    assert published.title in client.get(f"/catalogue/?category={category}").content.decode()
    assert published.title not in client.get("/catalogue/?validity=invalid").content.decode()
    item = client.get(f"/catalogue/{published.pk}/").content.decode()
    for text in (
        "济退役军人财〔2025〕1号",
        "2025年2月10日",
        "财政预决算",
        "有效",
        "第二段",
        "预算.pdf",
    ):
        assert text in item
    assert client.get(f"/catalogue/{draft.pk}/").status_code == 404
    f = published.attachments.get()
    response = client.get(f"/catalogue/{published.pk}/files/{f.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/catalogue/{draft.pk}/files/{f.pk}/").status_code == 404


def test_a_withdrawn_item_stays_readable_marked(client, published, users):
    catalogue_item_withdraw(item=published, actor=users["head"], now=NOW, reason="已废止")
    page = client.get(f"/catalogue/{published.pk}/").content.decode()
    assert "失效" in page
    assert "已废止" in page
    assert published.title in client.get("/catalogue/?validity=invalid").content.decode()


def test_office_pages_by_role(client, users, published, draft):
    for who in ("supervisor", "nobody"):
        client.force_login(users[who])
        assert client.get("/work/catalogue/").status_code == 404
    client.force_login(users["liaison_b"])  # sees only items of division b
    assert client.get("/work/catalogue/").status_code == 200
    assert client.get(f"/work/catalogue/{published.pk}/").status_code == 404
    client.force_login(users["registrar"])
    assert draft.title in client.get("/work/catalogue/").content.decode()
    page = client.get(f"/work/catalogue/{draft.pk}/").content.decode()
    assert "提交审批" in page
    assert "审批并公开" not in page  # only the head approves
    client.post(f"/work/catalogue/{draft.pk}/approve/")
    assert CatalogueItem.objects.get(pk=draft.pk).status == "draft"
    client.post(f"/work/catalogue/{draft.pk}/submit/")
    assert CatalogueItem.objects.get(pk=draft.pk).status == "submitted"
    client.force_login(users["head"])
    assert "审批并公开" in client.get(f"/work/catalogue/{draft.pk}/").content.decode()
    client.post(f"/work/catalogue/{draft.pk}/return/", {"reason": "请补充文号"})
    assert CatalogueItem.objects.get(pk=draft.pk).status == "draft"
    client.post(f"/work/catalogue/{draft.pk}/approve/")
    assert CatalogueItem.objects.get(pk=draft.pk).status == "published"
    history = client.get(f"/work/catalogue/{draft.pk}/").content.decode()
    assert "请补充文号" in history
    assert "退回修改" in history


def test_office_new_and_edit(client, users, divisions, organ):
    categories_ensure()
    client.force_login(users["liaison_a"])
    response = client.post(
        "/work/catalogue/new/",
        {
            "title": "2026年退役军人就业创业培训计划",
            "doc_number": "",
            "division": divisions["a"].pk,
            "category": Category.objects.get(name="工作进展").pk,
            "published_on": "",
            "body": "培训安排。",
            "attachments": [SimpleUploadedFile("计划.pdf", real_pdf())],
        },
    )
    assert response.status_code == 302
    item = CatalogueItem.objects.get()
    assert item.division == divisions["a"]
    assert item.attachments.count() == 1
    refused = client.post(
        "/work/catalogue/new/", {"title": "别的处室", "division": divisions["b"].pk}
    )
    assert refused.status_code == 200  # a division not theirs is not offered
    assert CatalogueItem.objects.count() == 1
    client.post(
        f"/work/catalogue/{item.pk}/edit/",
        {"title": "2026年退役军人就业创业培训计划（修订）", "division": divisions["a"].pk},
    )
    item.refresh_from_db()
    assert item.title.endswith("（修订）")
    history = client.get(f"/work/catalogue/{item.pk}/").content.decode()
    assert "2026年退役军人就业创业培训计划 → 2026年退役军人就业创业培训计划（修订）" in history
    assert "公开办录入" in history  # the source in words, not its key
    assert "manual" not in history.split("变更记录")[1]


def test_the_guide_is_managed_dated_and_versioned(client, organ, users):
    page = client.get("/guide/").content.decode()  # no version yet: the default text
    for text in (organ.address, organ.postal_code, organ.phone, "20个工作日", "信息处理费"):
        assert text in page
    assert "/catalogue/" in page  # the guide links the catalogue
    assert "更新日期" not in page
    first = guide_draft_create(organ=organ, actor=users["reviewer"], now=at(date(2026, 3, 2)))
    guide_approve(version=first, actor=users["head"], now=at(date(2026, 3, 3)))
    page = client.get("/guide/").content.decode()
    assert "更新日期：2026年3月3日" in page
    second = guide_draft_create(organ=organ, actor=users["registrar"], now=NOW)
    sections = dict(second.sections, fees="依申请提供政府信息，不收取费用。")
    guide_draft_update(version=second, actor=users["registrar"], sections=sections)
    assert "不收取费用" not in client.get("/guide/").content.decode()  # not approved yet
    guide_approve(version=second, actor=users["head"], now=at(date(2026, 3, 17)))
    page = client.get("/guide/").content.decode()
    assert "更新日期：2026年3月17日" in page
    assert "不收取费用" in page
    assert "/guide/versions/1/" in page  # the earlier version stays readable
    old = client.get("/guide/versions/1/").content.decode()
    assert "更新日期：2026年3月3日" in old
    assert "信息处理费" in old
    assert client.get("/guide/versions/3/").status_code == 404
    assert GuideVersion.objects.get(number=1).organ_facts["address"] == organ.address


def test_guide_office_page_roles(client, organ, users):
    client.force_login(users["liaison_a"])
    assert client.get("/work/catalogue/guide/").status_code == 404
    client.force_login(users["reviewer"])
    client.post("/work/catalogue/guide/", {"action": "new"})
    draft = GuideVersion.objects.get()
    client.post("/work/catalogue/guide/", {"action": "approve"})  # not the head: refused
    draft.refresh_from_db()
    assert draft.status == "draft"
    client.post(
        "/work/catalogue/guide/",
        {"action": "submit", "section_fees": "不收费。", "note": "收费说明"},
    )
    draft.refresh_from_db()
    assert draft.status == "submitted"
    client.force_login(users["head"])
    client.post("/work/catalogue/guide/", {"action": "approve"})
    draft.refresh_from_db()
    assert draft.status == "approved"
    assert draft.sections["fees"] == "不收费。"


def test_apply_shows_matching_items_and_the_case_records_them(client, organ, published, settings):
    client.get("/apply/")
    token = "tok-123"
    response = client.get("/catalogue/match/", {"q": "2025年度部门预算", "token": token})
    data = response.json()
    assert data["heading"] == "以下信息已主动公开"
    assert [i["id"] for i in data["items"]] == [published.pk]
    assert data["items"][0]["url"] == f"/catalogue/{published.pk}/"
    assert response["Cache-Control"] == "no-store"
    assert client.get("/catalogue/match/", {"q": "优抚对象名单"}).json()["items"] == []
    response = client.post("/apply/", _form(subject="2025年度部门预算", submission_token=token))
    assert response.status_code == 302
    case = Case.objects.get()
    assert list(ItemShown.objects.filter(case=case).values_list("item", flat=True)) == [
        published.pk
    ]


def test_the_apply_page_carries_the_match_box(client, organ):
    page = client.get("/apply/").content.decode()
    assert 'id="catalogue-matches"' in page
    assert "catalogue/match.js" in page


def test_the_match_endpoint_is_rate_limited(client, organ, published, settings):
    settings.CATALOGUE_MATCH_PER_MINUTE = 3
    from django.core.cache import cache

    cache.clear()
    codes = [client.get("/catalogue/match/", {"q": "部门预算"}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
