"""The letter registry is the one declaration of each letter kind (issue 23 point 1): for every
kind, it is declared once, its wording exists, its sample renders, it is offered exactly in the
states and to the roles its declaration names, issuing it succeeds there and is refused
elsewhere; the transition table's `letters=` and the seal follow it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import get_template
from django.utils import timezone

import pytest

from casework.choices import CaseStatus
from casework.errors import NotPermitted, WrongState
from casework.lifecycle import TRANSITIONS
from letters.context import build_letter_context
from letters.kinds import KINDS
from letters.models import LetterSettings
from letters.registry import LETTERS, kinds_in_state, letters_after
from letters.sample import sample_case
from letters.services import letter_issue, letter_kinds_issuable, seal_allowed
from tests.casework.lifecycle.test_machine import reach  # noqa: F401 - fixture
from tests.casework.lifecycle.test_table import ROLES, STATES


class Rollback(Exception):
    pass


def test_every_kind_is_declared_once_with_its_wording():
    assert set(LETTERS) == set(KINDS)  # one declaration per kind, no other (order aside)
    for key, declared in LETTERS.items():
        assert declared.kind is KINDS[key]
        assert get_template(declared.wording_template).template.source.strip(), key
        assert declared.states, key
        for state in declared.states:
            # The transition that records it leaves exactly the states it is declared for.
            recording = TRANSITIONS[declared.recording_transition(state)]
            assert state in recording.source, (key, state, recording.name)


def test_the_transition_tables_letters_are_the_registrys():
    for spec in TRANSITIONS.values():
        assert set(spec.letters) == set(letters_after(spec.name)), spec.name
    for key, declared in LETTERS.items():
        for name in declared.after:
            assert key in TRANSITIONS[name].letters, (key, name)


def _issue(case, key, user, now):
    """Issue in a savepoint that is rolled back: 'done' or the refusal's class."""
    try:
        with transaction.atomic():
            letter_issue(number=case.number, kind=key, actor=user, now=now)
            raise Rollback
    except Rollback:
        return "done"
    except (NotPermitted, WrongState) as exc:
        return type(exc).__name__


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(LETTERS))
def test_each_kind_is_offered_to_its_roles_and_issued_on_its_sample(key):
    """On the kind's sample case (letters.sample, as its declaration says): offered to exactly
    the roles its declaration names, issued by one of them, refused to the others."""
    declared = LETTERS[key]
    with sample_case(KINDS[key]) as case:
        assert case.status in declared.states, (key, case.status)
        now = timezone.now() + timedelta(minutes=1)
        sample_users = User.objects.filter(username__startswith="sample-")
        assert sample_users.count() == 4
        issuers = []
        for user in sample_users:
            offered = key in letter_kinds_issuable(case, user)
            assert offered == declared.may_issue(case, user), (key, user.username)
            (issuers if offered else []).append(user)
            if not offered:
                assert _issue(case, key, user, now) == "NotPermitted", (key, user.username)
        assert issuers, key
        assert _issue(case, key, issuers[0], now) == "done", key
        # Every wording may state the step the letter documents and its day.
        context = build_letter_context(case=case, kind=KINDS[key], number="X", issued_on=now.date())
        assert context["step"], key
        assert context["step_on_cn"], key


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
def test_no_kind_outside_its_states_is_offered_or_issued(reach, users, state):  # noqa: F811
    case = reach(state)
    allowed = set(kinds_in_state(case.status))
    for who in ROLES:
        assert set(letter_kinds_issuable(case, users[who])) <= allowed, (state, who)
    for key in set(LETTERS) - allowed:
        assert _issue(case, key, users["head"], timezone.now()) == "WrongState", (state, key)


@pytest.mark.django_db
def test_the_seal_follows_the_declaration_and_the_organs_setting():
    """Legally binding notices are sealed by default (where the head fired the step); the
    acknowledgement is not; an organ changes either in 文书设置."""
    assert LETTERS["extension"].sealed
    assert not LETTERS["acknowledgement"].sealed
    with sample_case(KINDS["extension"]) as case:  # the head extended (Art 33(2))
        assert seal_allowed(case, KINDS["extension"])
        LetterSettings.objects.filter(organ=case.organ).update(seal_overrides={"extension": False})
        assert not seal_allowed(case, KINDS["extension"])
        row = LetterSettings.objects.get(organ=case.organ)
        row.seal_overrides = {"extension": False, "acknowledgement": True}
        row.full_clean()
        for wrong in ({"no_such_kind": True}, {"extension": "yes"}, ["extension"]):
            row.seal_overrides = wrong
            with pytest.raises(ValidationError):
                row.full_clean()


@pytest.mark.django_db
def test_a_withdrawn_case_gets_no_letter_unless_a_kind_declares_it(reach, users, fire):  # noqa: F811
    case = reach("registered")
    fire(case, "withdraw", "registrar", reason="申请人撤回")
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    declared_for_withdrawn = set(kinds_in_state(CaseStatus.WITHDRAWN))
    assert set(letter_kinds_issuable(case, users["registrar"])) <= declared_for_withdrawn
    assert _issue(case, "acknowledgement", users["registrar"], timezone.now()) == "WrongState"
