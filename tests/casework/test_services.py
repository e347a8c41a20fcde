"""case_receive: numbering, receipt rules, agents, and bad input that saves nothing."""

from datetime import date, datetime

import pytest

from casework.choices import ApplicantCategory, Channel, IdType
from casework.errors import InvalidInput, NotPermitted
from casework.models import Agent, Applicant, Case, CaseNumberCounter, Event
from casework.services import case_receive
from tests.conftest import NOW, REQUEST, TODAY, company, person


def _nothing_saved():
    return (
        Case.objects.count() == 0
        and Applicant.objects.count() == 0
        and Event.objects.count() == 0
        and Agent.objects.count() == 0
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("applicant", "field", "fragment"),
    [
        (person(id_number="370102198001011238"), "applicant.id_number", "校验位"),
        (person(id_number=""), "applicant.id_number", "证件号码"),
        (person(phone="12345"), "applicant.phone", "手机号码"),
        (person(email="bad@"), "applicant.email", "电子邮箱"),
        (company(credit_code="91370100MA3C5XY015"), "applicant.credit_code", "统一社会信用代码"),
        (company(contact_person=""), "applicant.contact_person", "联系人"),
        (person(category="alien"), "applicant.category", ""),
    ],
)
def test_bad_applicant_data_is_refused_and_nothing_saved(receive, applicant, field, fragment):
    with pytest.raises(InvalidInput) as excinfo:
        receive(applicant=applicant)
    assert field in excinfo.value.errors
    assert fragment in " ".join(excinfo.value.errors[field])
    assert _nothing_saved()


@pytest.mark.django_db
def test_future_arrival_unknown_channel_and_early_signature_are_refused(receive):
    with pytest.raises(InvalidInput) as excinfo:
        receive(arrived=date(2026, 3, 17))
    assert "不能晚于今天" in excinfo.value.message
    with pytest.raises(InvalidInput) as excinfo:
        receive(channel="carrier_pigeon")
    assert "未知的申请渠道" in excinfo.value.message
    with pytest.raises(InvalidInput):
        receive(channel=Channel.REGISTERED_POST, arrived=TODAY, signed_on=date(2026, 3, 13))
    assert _nothing_saved()


@pytest.mark.django_db
def test_missing_subject_is_refused(organ, users):
    with pytest.raises(InvalidInput) as excinfo:
        case_receive(
            organ=organ,
            actor=users["registrar"],
            channel=Channel.IN_PERSON,
            arrived_at=NOW,
            applicant=person(),
            request={**REQUEST, "subject": "  "},
            now=NOW,
        )
    assert excinfo.value.field == "subject"
    assert _nothing_saved()


@pytest.mark.django_db
def test_a_liaison_officer_cannot_record_applications(organ, users):
    with pytest.raises(NotPermitted):
        case_receive(
            organ=organ,
            actor=users["liaison_a"],
            channel=Channel.IN_PERSON,
            arrived_at=NOW,
            applicant=person(),
            request=REQUEST,
            now=NOW,
        )
    assert _nothing_saved()


@pytest.mark.django_db
def test_numbers_are_gap_free_when_a_receipt_fails_half_way(receive):
    first = receive()
    with pytest.raises(InvalidInput):
        receive(applicant=person(phone="bad"))
    second = receive()
    assert (first.number, second.number) == ("2026-0001", "2026-0002")
    assert CaseNumberCounter.objects.get().last == 2


@pytest.mark.django_db
def test_numbers_restart_each_year(receive):
    receive(arrived=date(2025, 12, 31))
    assert receive(arrived=date(2026, 1, 5)).number == "2026-0001"
    assert Case.objects.get(year=2025).number == "2025-0001"


@pytest.mark.django_db
def test_agent_is_recorded(receive):
    agent = {
        "name": "郑律师",
        "id_type": IdType.RESIDENT_ID,
        "id_number": "11010519491231002X",
        "organisation": "某律所",
        "phone": "13706400004",
    }
    case = receive(applicant=company(), agent=agent)
    assert case.agent.name == "郑律师"
    assert case.applicant.category == ApplicantCategory.COMMERCIAL


@pytest.mark.django_db
def test_bad_agent_id_is_refused(receive):
    agent = {
        "name": "郑律师",
        "id_type": IdType.RESIDENT_ID,
        "id_number": "11010519491231002Y",
        "phone": "13706400004",
    }
    with pytest.raises(InvalidInput) as excinfo:
        receive(agent=agent)
    assert "agent.id_number" in excinfo.value.errors
    assert _nothing_saved()


@pytest.mark.django_db
def test_receipt_channels_fix_or_defer_the_date(receive):
    assert receive(channel=Channel.IN_PERSON, arrived=date(2026, 3, 13)).received_on == date(
        2026, 3, 13
    )
    post = receive(
        channel=Channel.REGISTERED_POST, arrived=date(2026, 3, 13), signed_on=date(2026, 3, 14)
    )
    assert post.received_on == date(2026, 3, 14)
    online = receive(channel=Channel.ONLINE, arrived=date(2026, 3, 13))
    assert online.received_on is None
    assert online.reply_due_on is None


@pytest.mark.django_db
def test_naive_arrival_time_is_refused(organ, users):
    with pytest.raises(InvalidInput):
        case_receive(
            organ=organ,
            actor=users["registrar"],
            channel=Channel.IN_PERSON,
            arrived_at=datetime(2026, 3, 13, 10),
            applicant=person(),
            request=REQUEST,
            now=NOW,
        )


@pytest.mark.django_db
def test_reply_due_date_is_stored_on_receipt(receive):
    # Received Mon 2026-03-16 = day 0. Working days: Mar 17-20 (1-4), Mar 23-27 (5-9),
    # Mar 30-Apr 3 (10-14), Apr 4-6 Qingming off, Apr 7-10 (15-18), Apr 13 (19), Apr 14 (20).
    case = receive(arrived=TODAY)
    assert case.reply_due_on == date(2026, 4, 14)
    assert case.dates_provisional is False
    assert Case.objects.get(pk=case.pk).reply_due_on == date(2026, 4, 14)


@pytest.mark.django_db
@pytest.mark.parametrize("arrived", [date(2003, 6, 2), date(1990, 6, 4)])
def test_an_application_received_long_ago_is_refused_in_chinese(receive, arrived):
    from casework.errors import InvalidInput
    from casework.models import Case

    # Before the calendar or inside it, such a date is refused first as a closed year.
    with pytest.raises(InvalidInput) as excinfo:
        receive(arrived=arrived)
    assert f"到达日期 {arrived.isoformat()} 属于已结年度" in excinfo.value.message
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_an_arrival_in_a_closed_year_is_refused(receive):
    # Today is 2026-03-16: 2025 is still open, 2024 is closed.
    assert receive(arrived=date(2025, 1, 2)).number.startswith("2025-")
    with pytest.raises(InvalidInput) as refused:
        receive(arrived=date(2024, 12, 31))
    assert refused.value.field == "arrived_at"
    assert refused.value.message == (
        "到达日期 2024-12-31 属于已结年度：2025-01-01 之前到达的申请不能再登记。"
    )
    assert not Case.objects.filter(year=2024).exists()
