"""Issue 11: letters only at their step, once per step, with their events written only by the
letter service (never a bare transition), and nothing issued on a closed case."""

import re
import threading
from datetime import date
from typing import Any

from django.core import mail
from django.db import connections

import pytest
from rest_framework.test import APIClient

from casework.errors import WrongState
from casework.models import Event
from letters.models import Letter, LetterNumberCounter
from letters.services import letter_issue, letter_kinds_issuable, letter_void
from tests.conftest import NOW
from tests.letters.test_letters import approved  # noqa: F401 - fixture
from tests.provision import approved_release_set


@pytest.fixture
def in_review(receive_flow, act, divisions, users):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    approved_release_set(case, officer=users["liaison_a"], reviewer=users["reviewer"])
    act(
        case,
        "propose",
        "liaison_a",
        on=date(2026, 3, 10),
        disposition="partial",
        basis="《中华人民共和国政府信息公开条例》第三十七条",
        withheld="第五条报价明细",
    )
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_reply_letter_is_refused_before_sign_off(in_review, users, client):
    assert in_review.status == "review"
    with pytest.raises(WrongState) as excinfo:
        letter_issue(
            number=in_review.number, kind="reply.partial", actor=users["reviewer"], now=NOW
        )
    assert "审签" in excinfo.value.message
    client.force_login(users["reviewer"])
    page = client.get(f"/work/cases/{in_review.number}/letters/")
    assert "reply.partial" not in page.content.decode()
    response = client.post(f"/work/cases/{in_review.number}/letters/", {"kind": "reply.partial"})
    assert response.status_code == 400
    assert not Letter.objects.filter(case=in_review).exists()
    assert not LetterNumberCounter.objects.exists()
    assert "reply.partial" not in letter_kinds_issuable(in_review)


@pytest.mark.django_db
def test_letter_events_cannot_be_forged_through_the_api(approved, users):  # noqa: F811
    case = approved("granted")
    api = APIClient()
    api.force_authenticate(users["head"])
    before = Event.objects.filter(case=case).count()
    for name, body in [
        ("void_letter", {"letter": "1号", "reason": "x"}),
        ("issue_letter", {"kind": "acknowledgement", "letter": "999号"}),
        ("issue_reply", {}),
    ]:
        response = api.post(f"/api/v1/cases/{case.number}/transitions/{name}/", body, format="json")
        assert response.status_code == 404, name
    assert Event.objects.filter(case=case).count() == before


@pytest.mark.django_db
def test_a_letter_is_issued_once_per_step(approved, users, act):  # noqa: F811
    case = approved("granted")
    first = letter_issue(
        number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    with pytest.raises(WrongState) as excinfo:
        letter_issue(number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW)
    assert first.number in excinfo.value.message
    act(case, "issue_reply", "registrar")
    with pytest.raises(WrongState):
        letter_issue(number=case.number, kind="reply.granted", actor=users["registrar"], now=NOW)
    assert Letter.objects.filter(case=case).count() == 2
    # No number was spent on the refused issues (each kind in its own series, issue 21).
    assert sorted(LetterNumberCounter.objects.values_list("series", "last")) == [
        ("济退役军人依回", 1),
        ("济退役军人依复", 1),
    ]


@pytest.mark.django_db
def test_reissue_only_through_void_and_cites_the_replaced_number(approved, users):  # noqa: F811
    case = approved("granted")
    first = letter_issue(
        number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    assert (
        letter_void(
            letter_id=first.pk, actor=users["reviewer"], reason="日期有误", now=NOW, reissue=False
        )
        is None
    )
    assert "acknowledgement" in letter_kinds_issuable(case)
    second = letter_issue(
        number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    assert second.replaces == first
    assert second.generation == 1
    text = re.sub(r"<[^>]+>|\s", "", second.html)  # the letter is set line by line
    assert first.number in text
    assert "原文书作废" in text
    with pytest.raises(WrongState):
        letter_issue(number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW)


@pytest.mark.django_db
def test_nothing_is_issued_on_an_archived_case(approved, users, act):  # noqa: F811
    case = approved("granted")
    act(case, "issue_reply", "registrar")
    act(case, "archive", "registrar")
    case.refresh_from_db()
    assert letter_kinds_issuable(case) == []
    for kind in ("acknowledgement", "reply.granted"):
        with pytest.raises(WrongState):
            letter_issue(number=case.number, kind=kind, actor=users["registrar"], now=NOW)


@pytest.mark.django_db
def test_consultation_letter_only_while_the_consultation_is_open(
    receive_flow, act, divisions, users
):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    with pytest.raises(WrongState):
        letter_issue(
            number=case.number, kind="consultation_third_party", actor=users["registrar"], now=NOW
        )
    act(
        case,
        "open_consultation",
        "liaison_a",
        on=date(2026, 3, 4),
        party="third_party",
        party_name="某公司",
    )
    letter_issue(
        number=case.number, kind="consultation_third_party", actor=users["registrar"], now=NOW
    )
    with pytest.raises(WrongState):  # the letter to an organ does not fit a third party
        letter_issue(
            number=case.number, kind="consultation_organ", actor=users["registrar"], now=NOW
        )
    key = Event.objects.get(case=case, kind="open_consultation").payload["consultation_id"]
    act(
        case,
        "close_consultation",
        "liaison_a",
        on=date(2026, 3, 6),
        consultation_id=key,
        opinion="agree",
    )
    with pytest.raises(WrongState):
        letter_issue(
            number=case.number, kind="consultation_notice", actor=users["registrar"], now=NOW
        )


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_issues_give_one_letter_one_number_one_email(approved, users):  # noqa: F811
    case = approved("granted")
    mail.outbox.clear()
    barrier = threading.Barrier(20)
    outcomes: list[Any] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait()
            letter_issue(
                number=case.number, kind="reply.granted", actor=users["registrar"], now=NOW
            )
            result: Any = "ok"
        except Exception as exc:  # WrongState is expected; anything else fails below
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(outcomes) == 20
    assert outcomes.count("ok") == 1, outcomes
    assert all(isinstance(o, WrongState) for o in outcomes if o != "ok"), outcomes
    assert Letter.objects.filter(case=case).count() == 1
    assert LetterNumberCounter.objects.get().last == 1
    assert Event.objects.filter(case=case, kind="issue_reply").count() == 1
    from casework.models import Notification
    from casework.notifications import notifications_send

    notifications_send()
    assert Notification.objects.filter(case=case, dedupe_key__startswith="letter:").count() == 1
    assert len([m for m in mail.outbox if case.number in m.body or case.number in m.subject]) == 1
