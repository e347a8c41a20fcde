"""Art 36(1) replies that point to a catalogue item (issue 26 point 3): the proposal chooses
the item, the letter prints its title, place, date and address, the case records it; the
figures count it."""

from datetime import date

import pytest

from casework.catalogue.models import Category, ItemCited
from casework.catalogue.selectors import catalogue_figures
from casework.catalogue.services import (
    catalogue_item_approve,
    catalogue_item_create,
    catalogue_item_withdraw,
    categories_ensure,
)
from casework.errors import InvalidInput
from casework.models import Event
from letters.models import Letter
from tests.conftest import NOW
from tests.letters.test_letters import _clean, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(organ, users, divisions):
    categories_ensure()
    draft = catalogue_item_create(
        organ=organ,
        actor=users["registrar"],
        now=NOW,
        title="2026年退役军人安置计划",
        doc_number="济退役军人发〔2026〕2号",
        division=divisions["a"],
        category=Category.objects.get(name="工作进展"),
        published_on=date(2026, 1, 20),
    )
    return catalogue_item_approve(item=draft, actor=users["head"], now=NOW)


@pytest.fixture
def investigating(receive_flow, act, divisions):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    return case


def test_a_36_1_reply_points_to_the_item_and_the_letter_prints_it(
    investigating, act, item, organ, tmp_path, settings
):
    settings.SITE_URL = "https://xxgk.example.gov.cn"
    case = investigating
    act(
        case,
        "propose",
        "liaison_a",
        on=date(2026, 3, 10),
        disposition="granted.already_published",
        catalogue_item=item.pk,
    )
    proposal = Event.objects.filter(case=case, kind="propose").get().payload
    assert proposal["catalogue_item"] == item.pk
    assert "《2026年退役军人安置计划》" in proposal["where_published"]
    assert ItemCited.objects.get(case=case).use == "already_public"
    act(case, "check", "reviewer", on=date(2026, 3, 11))
    act(case, "approve", "head", on=date(2026, 3, 12))
    act(case, "issue_reply", "registrar")
    text = _clean(pdf_text(Letter.objects.get(case=case).pdf.read(), tmp_path))
    assert "本机关门户网站“主动公开目录—工作进展”栏目《2026年退役军人安置计划》" in text
    assert "（济退役军人发〔2026〕2号，2026年1月20日发布）" in text
    assert f"https://xxgk.example.gov.cn/catalogue/{item.pk}/" in text
    figures = catalogue_figures(organ)
    assert figures.answered_by_catalogue == 1
    assert figures.items_in_force == 1


def test_only_a_published_item_in_force_of_the_organ_may_be_named(investigating, act, item, users):
    catalogue_item_withdraw(item=item, actor=users["head"], now=NOW, reason="已废止")
    with pytest.raises(InvalidInput) as refused:
        act(
            investigating,
            "propose",
            "liaison_a",
            on=date(2026, 3, 10),
            disposition="granted.already_published",
            catalogue_item=item.pk,
        )
    assert refused.value.field == "catalogue_item"


def test_a_refusal_names_no_catalogue_item(investigating, act, item):
    with pytest.raises(InvalidInput) as refused:
        act(
            investigating,
            "propose",
            "liaison_a",
            on=date(2026, 3, 10),
            disposition="not_processed.petition_complaint",
            reasons="属于信访事项，不作为政府信息公开申请处理。",
            catalogue_item=item.pk,
        )
    assert refused.value.field == "catalogue_item"


def test_a_returned_proposal_without_the_item_forgets_it(investigating, act, item):
    case = investigating
    act(
        case,
        "propose",
        "liaison_a",
        on=date(2026, 3, 10),
        disposition="granted.already_published",
        catalogue_item=item.pk,
    )
    act(case, "return_for_revision", "reviewer", on=date(2026, 3, 11), reason="请核实")
    act(
        case,
        "propose",
        "liaison_a",
        on=date(2026, 3, 11),
        disposition="granted.already_published",
        where_published="本机关门户网站“政府信息公开”栏目",
    )
    assert not ItemCited.objects.filter(case=case).exists()
