"""Only actions that can succeed are offered (issue 24 point 2): every role in every state is
offered transitions and letters; each offered transition, fired through the lifecycle with no
input, at most asks for its fields, and each offered letter is issued. The API's `actions` and
the case page offer exactly these; the primary button is only the flow's next step (point 3)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import pytest

from casework.choices import Disposition as D
from casework.errors import InvalidInput, NotPermitted, WrongState
from casework.lifecycle import available_actions
from casework.lifecycle.actions import primary_action
from casework.lifecycle.follows import next_steps
from casework.services import case_transition
from letters.offer import letters_offered
from letters.services import letter_issue
from tests.casework.lifecycle.test_machine import reach  # noqa: F401 - fixture
from tests.casework.lifecycle.test_table import ROLES, STATES
from tests.conftest import NOW
from tests.letters.decided import decided


class Rollback(Exception):
    pass


def _outcome(run, **kwargs) -> str:
    try:
        with transaction.atomic():
            run(**kwargs)
            raise Rollback
    except Rollback:
        return "done"
    except InvalidInput:
        return "needs input"
    except (NotPermitted, WrongState) as exc:
        return f"refused: {exc.message}"


def _walk(case, users, now):
    for who in ROLES:
        user = users[who]
        actions = available_actions(case, user, now=now)
        for action in actions:
            outcome = _outcome(
                case_transition,
                number=case.number,
                name=action.name,
                actor=user,
                fields={},
                now=now,
            )
            assert not outcome.startswith("refused"), (case.status, who, action.name, outcome)
        kinds, _due = letters_offered(case, user)
        for key in kinds:
            outcome = _outcome(letter_issue, number=case.number, kind=key, actor=user, now=now)
            assert outcome == "done", (case.status, who, key, outcome)
        primary = primary_action(case, actions)
        assert primary is None or primary.name in next_steps(case.status), (who, primary)
        assert "withdraw" not in {primary.name if primary else ""}


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
def test_every_offered_action_and_letter_succeeds(reach, users, state):  # noqa: F811
    _walk(reach(state), users, NOW)


@pytest.mark.django_db
@pytest.mark.parametrize("disposition", [D.PARTIAL, D.OTHER_NO_CORRECTION, D.GRANTED])
def test_every_offered_action_and_letter_succeeds_on_decided_cases(
    receive_flow, act, divisions, users, disposition
):
    case, when = decided(receive_flow, act, divisions, users, disposition)
    _walk(case, users, when)


@pytest.mark.django_db
def test_the_liaison_is_not_offered_letters(reach, users, client):  # noqa: F811
    """Found: the liaison was offered 出具文书, which then answered 您的角色无权… (400)."""
    case = reach("investigation")
    assert letters_offered(case, users["liaison_a"])[0] == []
    client.force_login(users["liaison_a"])
    page = client.get(reverse("casework:case-detail", args=[case.number])).content.decode()
    assert reverse("workflows:letter-issue", args=[case.number]) not in page
    client.force_login(users["registrar"])
    page = client.get(reverse("casework:case-detail", args=[case.number])).content.decode()
    assert reverse("workflows:letter-issue", args=[case.number]) in page  # the acknowledgement


@pytest.mark.django_db
def test_the_api_actions_list_exactly_what_can_succeed_letters_included(reach, users, client):  # noqa: F811
    investigated = reach("investigation")  # the liaison sees it, the registrar too
    for who in ("registrar", "liaison_a", "supervisor", "head"):
        user = users[who]
        client.force_login(user)
        body = client.get(f"/api/v1/cases/{investigated.number}/").json()
        names = {a["name"] for a in body["actions"]}
        expected = {a.name for a in available_actions(investigated, user)} | {
            f"letter:{k}" for k in letters_offered(investigated, user)[0]
        }
        assert names == expected, who
        assert ("letter:acknowledgement" in names) == (who != "liaison_a" and who != "supervisor")
    case = reach("correction")
    for who in ("registrar", "supervisor"):
        user = users[who]
        client.force_login(user)
        body = client.get(f"/api/v1/cases/{case.number}/").json()
        names = {a["name"] for a in body["actions"]}
        expected = {a.name for a in available_actions(case, user)} | {
            f"letter:{k}" for k in letters_offered(case, user)[0]
        }
        assert names == expected, who
    client.force_login(users["registrar"])
    body = client.get(f"/api/v1/cases/{case.number}/").json()
    letter = next(a for a in body["actions"] if a["name"] == "letter:correction")
    response = client.post(letter["url"], content_type="application/json")
    assert response.status_code == 200, response.content
    assert any(x["kind"] == "correction" for x in response.json()["letters"])
    client.force_login(users["liaison_a"])
    refused = client.post(
        f"/api/v1/cases/{investigated.number}/letters/acknowledgement/",
        content_type="application/json",
    )
    assert refused.status_code == 403, refused.content


@pytest.mark.django_db
def test_request_correction_is_secondary_and_prompts_its_notice(reach, users, client):  # noqa: F811
    """告知补正 is never the primary button; after it, the case page asks for the 补正告知书
    until it is issued (as for the extension notice)."""
    case = reach("registered")
    for who in ROLES:
        primary = primary_action(case, available_actions(case, users[who], now=NOW))
        assert primary is None or primary.name != "request_correction", who
    case = reach("correction")
    client.force_login(users["registrar"])
    url = reverse("casework:case-detail", args=[case.number])
    assert "补正告知书" in client.get(url).content.decode()
    letter_issue(
        number=case.number, kind="correction", actor=users["registrar"], now=timezone.now()
    )
    assert "尚未向申请人出具补正告知书" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_no_delivery_record_is_primary_on_an_archived_case(reach, users):  # noqa: F811
    case = reach("archived")
    for who in ROLES:
        assert primary_action(case, available_actions(case, users[who], now=NOW)) is None, who
