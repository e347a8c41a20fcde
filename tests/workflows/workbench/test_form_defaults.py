"""Issue 24 point 6: the action forms open with what the officer would type anyway."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.utils import timezone

import pytest

from casework.dispositions import BASES, basis_choices
from casework.selectors import working_calendar


@pytest.fixture
def investigating(receive_flow, act, divisions):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    case.refresh_from_db()
    return case


def _value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, name
    found = re.search(r'value="([^"]*)"', tag.group(0))
    return found.group(1) if found else ""


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(1))


@pytest.mark.django_db
def test_correction_deadline_defaults_to_the_setting_in_working_days(
    client, users, receive_flow, act
):
    case = receive_flow()
    client.force_login(users["registrar"])
    html = client.get(f"/work/cases/{case.number}/act/request_correction/").content.decode()
    expected = working_calendar().add_working_days(
        timezone.localdate(), settings.CORRECTION_DEADLINE_WORKING_DAYS
    )
    assert settings.CORRECTION_DEADLINE_WORKING_DAYS == 15
    assert _value(html, "deadline_on") == expected.isoformat()


@pytest.mark.django_db
def test_the_only_open_consultation_is_preselected(client, users, investigating, act):
    case = investigating
    act(case, "open_consultation", "liaison_a", party="third_party", party_name="甲公司")
    client.force_login(users["liaison_a"])
    for name in ("close_consultation", "record_consultation_delivery"):
        html = client.get(f"/work/cases/{case.number}/act/{name}/").content.decode()
        assert len(_selected(html, "consultation_id")) == 1, name
        assert _selected(html, "consultation_id") != [""]
    # With two open, the officer picks: nothing preselected.
    act(case, "open_consultation", "liaison_a", party="third_party", party_name="乙公司")
    html = client.get(f"/work/cases/{case.number}/act/close_consultation/").content.decode()
    assert _selected(html, "consultation_id") in ([], [""])


def test_each_legal_basis_is_offered_once():
    keys = [key for key, _label in basis_choices()]
    assert len(keys) == len(set(keys))
    assert set(keys) == {b.key for bases in BASES.values() for b in bases}


@pytest.mark.django_db
def test_propose_page_lists_each_basis_once(client, users, investigating):
    client.force_login(users["liaison_a"])
    html = client.get(f"/work/cases/{investigating.number}/act/propose/").content.decode()
    select = re.search(r'<select[^>]*name="basis"[^>]*>(.*?)</select>', html, re.S)
    assert select
    values = re.findall(r'<option value="([^"]+)"', select.group(1))
    assert len(values) == len(set(values))
    assert "14+36.3" in values


@pytest.mark.django_db
def test_withheld_part_comes_from_the_approved_release_set(client, users, investigating):
    from letters.records.models import ReleaseSet

    client.force_login(users["liaison_a"])
    url = f"/work/cases/{investigating.number}/act/propose/"
    # Without a set: the grounds with their articles are offered in the help.
    html = client.get(url).content.decode()
    assert "第十五条" in html
    assert "第十六条第二款" in html
    # The statement frozen when the reviewer approved the set (the shape withheld_statement
    # gives): the form opens with the words the letter prints, article included.
    ReleaseSet.objects.create(
        case=investigating,
        status=ReleaseSet.Status.APPROVED,
        created_by=users["liaison_a"],
        statement=[
            {
                "file": "会议纪要.pdf",
                "position": 1,
                "ground": "art15",
                "article": "第十五条",
                "pages": [2],
                "boxes": 3,
                "whole_pages": [],
                "notes": [],
            }
        ],
    )
    html = client.get(url).content.decode()
    area = re.search(r'<textarea[^>]*name="withheld"[^>]*>(.*?)</textarea>', html, re.S)
    assert area
    assert "附件1第2页共3处" in area.group(1)
    assert "《中华人民共和国政府信息公开条例》第十五条" in area.group(1)


@pytest.mark.django_db
def test_letter_delivery_presets_the_applicants_choice_and_names_family_name_first(
    client, users, receive_flow, act
):
    from letters.services import letter_issue, letter_record_delivery
    from tests.letters.test_preview_approval_delivery import NOW, _text, client_get_pdf

    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    letter = letter_issue(
        number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    client.force_login(users["registrar"])
    url = f"/letters/{letter.pk}/delivery/"
    # The applicant asked for e-mail (tests.conftest.REQUEST): no paper service to preset.
    assert not re.search(r'name="method"[^>]*checked', client.get(url).content.decode())
    type(case).objects.filter(pk=case.pk).update(delivery_method="post")
    html = client.get(url).content.decode()
    assert re.search(r'value="post"[^>]*checked', html)
    assert not re.search(r'value="in_person"[^>]*checked', html)
    # The 送达人 on the 送达回证: family name first (王登记, never "登记 王").
    registrar = users["registrar"]
    registrar.first_name, registrar.last_name = "登记", "王"
    registrar.save()
    letter_record_delivery(
        letter_id=letter.pk,
        actor=registrar,
        method="post",
        delivered_on="2026-03-16",
        signed_by="张三",
        now=NOW,
    )
    assert "王登记" in _text(client_get_pdf(client, users, letter))
    assert "王登记" in client.get(url).content.decode()
