"""Issue 21 point 8: letters in step with the clock.

Found: an extension notice promised "至2027年2月18日"; after the consultation answer the case
said 2027-01-26, with no word about the issued letter. Consultation letters printed a date
counted from sending, earlier than the party's legal deadline (Art 32: 15 working days from
its receipt of the letter)."""

import re
from datetime import date

from django.urls import reverse

import pytest

from casework.models import Case, Event
from letters.drift import letters_out_of_step
from letters.models import Letter
from letters.services import letter_issue, letter_void
from tests.conftest import at


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>|\s", "", html)  # the letter is set line by line


@pytest.fixture
def investigating(receive, fire, divisions):
    case = receive(arrived=date(2026, 3, 2), now=at(date(2026, 3, 2)))
    fire(case, "register", "registrar", on=date(2026, 3, 2))
    fire(case, "assign", "reviewer", on=date(2026, 3, 2), lead_division_id=divisions["a"].pk)
    fire(case, "claim", "liaison_a", on=date(2026, 3, 2))
    return case


def cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.mark.django_db
def test_an_extension_notice_overtaken_by_a_consultation_is_named_and_corrected(
    investigating, fire, users, client
):
    case = investigating
    fire(
        case,
        "request_extension",
        "liaison_a",
        on=date(2026, 3, 20),
        now=at(date(2026, 3, 20), 15),
        days=20,
        reason="档案多",
    )
    fire(
        case,
        "extend",
        "head",
        on=date(2026, 3, 20),
        now=at(date(2026, 3, 20), 15),
        days=20,
        reason="需调取档案",
        note="同意",
    )
    promised = Case.objects.get(pk=case.pk).reply_due_on
    notice = letter_issue(
        number=case.number, kind="extension", actor=users["registrar"], now=at(date(2026, 3, 20))
    )
    assert f"至{cn(promised)}" in plain(notice.html)
    assert letters_out_of_step(Case.objects.get(pk=case.pk)) == []
    fire(
        case,
        "open_consultation",
        "liaison_a",
        on=date(2026, 3, 23),
        now=at(date(2026, 3, 23), 15),
        party="third_party",
        party_name="某公司",
        matter="合同",
    )
    opened = Event.objects.get(case=case, kind="open_consultation").payload
    fire(
        case,
        "close_consultation",
        "liaison_a",
        on=date(2026, 3, 27),
        now=at(date(2026, 3, 27), 15),
        consultation_id=opened["consultation_id"],
        opinion="agree",
    )
    case = Case.objects.get(pk=case.pk)
    assert case.reply_due_on > promised  # four working days were not counted (Art 33(3))
    [drift] = letters_out_of_step(case)
    assert drift.letter == notice
    assert (drift.what, drift.promised_on, drift.computed_on) == (
        "reply",
        promised,
        case.reply_due_on,
    )
    # The case page names the letter and both dates, and offers the corrected notice.
    client.force_login(users["reviewer"])
    page = client.get(case.get_absolute_url()).content.decode()
    warning = page[page.index("out-of-step") :]
    for part in (notice.number, cn(promised), cn(case.reply_due_on), "作废并重新出具更正后的文书"):
        assert part in warning, part
    void_url = reverse("workflows:letter-void", args=[notice.pk])
    assert void_url in warning
    reason = re.search(r'name="reason" value="([^"]+)"', warning).group(1)
    response = client.post(void_url, {"reason": reason, "reissue": "1"})
    assert response.status_code == 302
    corrected = Letter.objects.get(replaces=notice)
    assert f"至{cn(case.reply_due_on)}" in plain(corrected.html)
    assert letters_out_of_step(Case.objects.get(pk=case.pk)) == []
    assert "out-of-step" not in client.get(case.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_consultation_letter_states_the_period_from_receipt(investigating, fire, users):
    """Art 32: 15 working days from the party's receipt of the letter; a date only once the
    receipt is recorded, and then that day + 15 working days."""
    from letters.models import LetterSettings

    case = investigating
    LetterSettings.objects.create(organ=case.organ, contact_person="王登记")
    fire(
        case,
        "open_consultation",
        "liaison_a",
        on=date(2026, 3, 9),
        now=at(date(2026, 3, 9), 15),
        party="third_party",
        party_name="某公司",
        matter="合同",
    )
    sent = letter_issue(
        number=case.number,
        kind="consultation_third_party",
        actor=users["registrar"],
        now=at(date(2026, 3, 9)),
    )
    text = plain(sent.html)
    assert "自收到本征求意见书之日起15个工作日内将是否同意公开" in text
    assert "（即" not in text  # no date counted from sending (it would be 2026年3月30日)
    assert "2026年3月30日" not in text
    opened = Event.objects.get(case=case, kind="open_consultation").payload
    fire(
        case,
        "record_consultation_delivery",
        "liaison_a",
        on=date(2026, 3, 12),
        now=at(date(2026, 3, 12), 15),
        consultation_id=opened["consultation_id"],
        method="挂号信签收",
    )
    reissued = letter_void(
        letter_id=sent.pk, actor=users["reviewer"], reason="补记送达日期", now=at(date(2026, 3, 12))
    )
    assert reissued is not None
    assert "自收到本征求意见书之日起15个工作日内（即2026年4月2日前）" in plain(reissued.html)


@pytest.mark.django_db
def test_the_acknowledgement_is_named_until_a_later_notice_states_the_date(
    investigating, fire, users
):
    """The acknowledgement states the reply date; a consultation moves it (named); once the
    reply period is extended the owed letter is the extension notice, not a new receipt."""
    case = investigating
    receipt = letter_issue(
        number=case.number,
        kind="acknowledgement",
        actor=users["registrar"],
        now=at(date(2026, 3, 2)),
    )
    fire(
        case,
        "open_consultation",
        "liaison_a",
        on=date(2026, 3, 9),
        now=at(date(2026, 3, 9), 15),
        party="other_organ",
        party_name="市人社局",
        matter="合同",
    )
    opened = Event.objects.get(case=case, kind="open_consultation").payload
    fire(
        case,
        "close_consultation",
        "liaison_a",
        on=date(2026, 3, 11),
        now=at(date(2026, 3, 11), 15),
        consultation_id=opened["consultation_id"],
        opinion="agree",
    )
    [drift] = letters_out_of_step(Case.objects.get(pk=case.pk))
    assert (drift.letter, drift.promised_on) == (receipt, date(2026, 3, 30))
    assert drift.computed_on == date(2026, 4, 1)  # two working days not counted
    fire(
        case,
        "request_extension",
        "liaison_a",
        on=date(2026, 3, 12),
        now=at(date(2026, 3, 12), 15),
        days=10,
        reason="档案多",
    )
    fire(
        case,
        "extend",
        "head",
        on=date(2026, 3, 12),
        now=at(date(2026, 3, 12), 16),
        days=10,
        reason="需调取档案",
        note="同意",
    )
    assert letters_out_of_step(Case.objects.get(pk=case.pk)) == []
