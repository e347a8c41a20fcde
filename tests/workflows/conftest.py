from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from casework.choices import Channel
from casework.models import Case
from tests.conftest import NOW, REQUEST, at, person
from workflows.services import case_act, case_receive


@pytest.fixture
def receive_flow(organ, users) -> Callable[..., Case]:
    def _receive(channel: str = Channel.IN_PERSON, arrived: date = date(2026, 3, 2), **kwargs: Any) -> Case:
        return case_receive(organ=organ, actor=users["registrar"], channel=channel, arrived_at=at(arrived),
                            applicant=kwargs.pop("applicant", person()), request=REQUEST, now=NOW, **kwargs)

    return _receive


@pytest.fixture
def act(users) -> Callable[..., Case]:
    def _act(case: Case, name: str, who: str, on: date | None = None, **fields: Any) -> Case:
        return case_act(number=case.number, name=name, actor=users[who], on=on or NOW.date(), fields=fields, now=NOW)

    return _act
