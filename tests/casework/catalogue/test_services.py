"""The catalogue's writes: roles, states, history in the same transaction, files checked."""

from datetime import date

import pytest

from casework.catalogue.models import (
    CatalogueItem,
    Category,
    HistoryKind,
    ItemHistory,
    ItemStatus,
    Validity,
)
from casework.catalogue.selectors import items_matching, public_items
from casework.catalogue.services import (
    catalogue_item_approve,
    catalogue_item_create,
    catalogue_item_return,
    catalogue_item_submit,
    catalogue_item_update,
    catalogue_item_withdraw,
    categories_ensure,
)
from casework.errors import InvalidInput, NotPermitted, WrongState
from casework.models import AppendOnlyError
from tests.conftest import NOW, at, real_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(db):
    categories_ensure()
    return Category.objects.get(name="政策法规")


def make(organ, users, divisions, category, who="liaison_a", **extra):
    fields = {
        "organ": organ,
        "actor": users[who],
        "now": NOW,
        "title": "济南市退役军人就业创业扶持政策",
        "doc_number": "济退役军人发〔2026〕3号",
        "division": divisions["a"],
        "category": category,
        "body": "全文。",
    } | extra
    return catalogue_item_create(**fields)


def test_the_plans_categories_are_data(category):
    names = list(Category.objects.values_list("name", flat=True))
    for name in ("公示公告", "工作进展", "政策法规", "文件解读", "会议信息", "财政预决算"):
        assert name in names
    assert "人大代表建议和政协提案办理" in names


def test_create_submit_approve_publishes_with_history(organ, users, divisions, category):
    item = make(organ, users, divisions, category, attachments=[("政策.pdf", real_pdf())])
    assert item.status == ItemStatus.DRAFT
    assert item.source_kind == "manual"
    assert item.attachments.get().content_type == "application/pdf"
    assert not public_items(organ).exists()
    catalogue_item_submit(item=item, actor=users["liaison_a"], now=at(date(2026, 3, 17)))
    published = catalogue_item_approve(item=item, actor=users["head"], now=at(date(2026, 3, 18)))
    assert published.status == ItemStatus.PUBLISHED
    assert published.published_on == date(2026, 3, 18)  # no date given: the day of publication
    assert published.approved_by == users["head"]
    assert list(public_items(organ)) == [published]
    kinds = list(item.history.values_list("kind", "role"))
    assert kinds == [
        (HistoryKind.CREATED, "联络员"),
        (HistoryKind.SUBMITTED, "联络员"),
        (HistoryKind.PUBLISHED, "公开办负责人"),
    ]


def test_only_the_head_publishes_and_withdraws(organ, users, divisions, category):
    item = make(organ, users, divisions, category)
    for who in ("liaison_a", "registrar", "reviewer", "supervisor"):
        with pytest.raises(NotPermitted):
            catalogue_item_approve(item=item, actor=users[who], now=NOW)
    published = catalogue_item_approve(item=item, actor=users["head"], now=NOW)
    with pytest.raises(NotPermitted):
        catalogue_item_withdraw(item=published, actor=users["reviewer"], now=NOW, reason="废止")
    assert CatalogueItem.objects.get(pk=item.pk).validity == Validity.VALID


def test_who_may_write(organ, users, divisions, category):
    for who in ("liaison_b", "supervisor", "nobody", "admin"):
        with pytest.raises(NotPermitted):
            make(organ, users, divisions, category, who=who)
    assert make(organ, users, divisions, category, who="registrar").created_by == users["registrar"]
    with pytest.raises(NotPermitted):  # a liaison officer needs a division they work in
        make(organ, users, divisions, category, division=None)
    assert not ItemHistory.objects.filter(item__created_by=users["liaison_b"]).exists()


def test_withdrawal_keeps_the_item_listed_and_its_history(organ, users, divisions, category):
    item = catalogue_item_approve(
        item=make(organ, users, divisions, category), actor=users["head"], now=NOW
    )
    with pytest.raises(InvalidInput):
        catalogue_item_withdraw(item=item, actor=users["head"], now=NOW, reason=" ")
    gone = catalogue_item_withdraw(item=item, actor=users["head"], now=NOW, reason="已被新文件替代")
    assert gone.validity == Validity.INVALID
    assert gone.status == ItemStatus.PUBLISHED
    assert list(public_items(organ)) == [gone]  # still listed, marked 失效
    assert not items_matching(organ, "就业创业扶持政策")  # but no longer offered on /apply/
    with pytest.raises(WrongState):
        catalogue_item_withdraw(item=gone, actor=users["head"], now=NOW, reason="再次")
    last = gone.history.last()
    assert last.kind == HistoryKind.WITHDRAWN
    assert last.note == "已被新文件替代"
    with pytest.raises(AppendOnlyError):
        last.save()
    with pytest.raises(AppendOnlyError):
        last.delete()


def test_states(organ, users, divisions, category):
    item = make(organ, users, divisions, category)
    with pytest.raises(WrongState):
        catalogue_item_return(item=item, actor=users["head"], now=NOW, reason="补充")
    catalogue_item_submit(item=item, actor=users["liaison_a"], now=NOW)
    with pytest.raises(WrongState):
        catalogue_item_submit(item=item, actor=users["liaison_a"], now=NOW)
    with pytest.raises(WrongState):  # awaiting approval: not edited in place
        catalogue_item_update(item=item, actor=users["liaison_a"], now=NOW, title="改")
    catalogue_item_return(item=item, actor=users["head"], now=NOW, reason="补充文号")
    edited = catalogue_item_update(item=item, actor=users["liaison_a"], now=NOW, title="新标题")
    assert edited.title == "新标题"
    assert edited.history.last().changes == {"title": ["济南市退役军人就业创业扶持政策", "新标题"]}
    catalogue_item_approve(item=item, actor=users["head"], now=NOW)
    with pytest.raises(WrongState):
        catalogue_item_approve(item=item, actor=users["head"], now=NOW)
    with pytest.raises(WrongState):
        catalogue_item_update(item=item, actor=users["liaison_a"], now=NOW, title="再改")


def test_input_is_checked(organ, users, divisions, category):
    with pytest.raises(InvalidInput):
        make(organ, users, divisions, category, title="  ")
    with pytest.raises(InvalidInput):
        make(organ, users, divisions, category, source_kind="elsewhere")
    with pytest.raises(InvalidInput):  # an upload that is not what it says
        make(organ, users, divisions, category, attachments=[("a.pdf", b"<html>x</html>")])
    assert not CatalogueItem.objects.exists()  # nothing half-made
    item = make(organ, users, divisions, None, who="head")
    with pytest.raises(InvalidInput):  # no category: not published
        catalogue_item_approve(item=item, actor=users["head"], now=NOW)


def test_sources_are_recorded(organ, users, divisions, category):
    item = make(
        organ, users, divisions, category, who="head", source_kind="selfcheck", source_ref="17"
    )
    assert (item.source_kind, item.source_ref) == ("selfcheck", "17")
    assert item.history.get().changes == {"source": [None, "selfcheck:17"]}


def test_matching_finds_the_item_by_its_title(organ, users, divisions, category):
    item = catalogue_item_approve(
        item=make(organ, users, divisions, category), actor=users["head"], now=NOW
    )
    found = items_matching(organ, "申请公开济南市退役军人就业创业扶持政策文件")
    assert [m.item for m in found] == [item]
    assert not items_matching(organ, "2025年度部门预算")
    assert not items_matching(organ, "就业")  # too short to match anything
