"""The office's writes through its pages that the other page tests leave out: editing a draft
(the history names the change), withdrawing a published item, and the guide's draft saved,
submitted, returned and approved from the guide page."""

import pytest

from casework.catalogue.models import CatalogueItem, Category, GuideStatus, GuideVersion, Validity
from casework.catalogue.services import catalogue_item_approve, catalogue_item_create
from tests.conftest import NOW

pytestmark = pytest.mark.django_db


def test_edit_a_draft_then_withdraw_it_once_published(client, organ, users, divisions):
    category = Category.objects.create(name="测试栏目", position=999)
    item = catalogue_item_create(
        organ=organ, actor=users["registrar"], now=NOW, title="旧标题", category=category
    )
    client.force_login(users["registrar"])
    response = client.post(
        f"/work/catalogue/{item.pk}/edit/",
        {"title": "新标题", "doc_number": "济文〔2026〕1号", "category": category.pk},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.doc_number) == ("新标题", "济文〔2026〕1号")
    page = client.get(f"/work/catalogue/{item.pk}/").content.decode()
    assert "旧标题" in page
    assert "新标题" in page

    catalogue_item_approve(item=item, actor=users["head"], now=NOW)
    client.post(f"/work/catalogue/{item.pk}/withdraw/", {"reason": "已废止"})
    assert CatalogueItem.objects.get(pk=item.pk).validity == Validity.VALID  # not the head
    client.force_login(users["head"])
    client.post(f"/work/catalogue/{item.pk}/withdraw/", {"reason": ""})
    assert CatalogueItem.objects.get(pk=item.pk).validity == Validity.VALID  # no reason
    client.post(f"/work/catalogue/{item.pk}/withdraw/", {"reason": "已废止"})
    item.refresh_from_db()
    assert (item.validity, item.withdraw_reason) == (Validity.INVALID, "已废止")
    assert client.post(f"/work/catalogue/{item.pk}/nonsense/").status_code == 404


def test_the_guide_page_saves_submits_returns_and_approves(client, organ, users):
    client.force_login(users["registrar"])
    client.post("/work/catalogue/guide/", {"action": "new"})
    draft = GuideVersion.objects.get(organ=organ)
    client.post(
        "/work/catalogue/guide/",
        {"action": "submit", "section_fees": "不收取费用。", "note": "改收费"},
    )
    draft.refresh_from_db()
    assert (draft.status, draft.sections["fees"], draft.note) == (
        GuideStatus.SUBMITTED,
        "不收取费用。",
        "改收费",
    )
    client.post("/work/catalogue/guide/", {"action": "approve"})  # not the head
    assert GuideVersion.objects.get(pk=draft.pk).status == GuideStatus.SUBMITTED
    client.force_login(users["head"])
    client.post("/work/catalogue/guide/", {"action": "return"})
    assert GuideVersion.objects.get(pk=draft.pk).status == GuideStatus.DRAFT
    client.post("/work/catalogue/guide/", {"action": "approve"})
    draft.refresh_from_db()
    assert draft.status == GuideStatus.APPROVED
    assert draft.approved_by == users["head"]
