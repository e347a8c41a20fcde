"""The transition table is the one declaration: the lifecycle's checks, viewflow's has_perm,
the staff pages' forms, the API request bodies (and their OpenAPI schema) and the actions
offered to a user all agree with it, for every transition and every role."""

import json
from io import StringIO

from django.core.management import call_command
from django.db import transaction

import pytest
import yaml

from casework.errors import InvalidInput, NotPermitted, NotVisible, WrongState
from casework.lifecycle import TRANSITIONS, CaseLifecycle, available_actions, offered_transitions
from casework.lifecycle.roles import acting_role
from casework.services import case_transition
from tests.casework.lifecycle.test_machine import STEPS, reach  # noqa: F401 - fixture
from tests.conftest import NOW
from workflows.api.transitions import REQUESTS
from workflows.workbench.forms import transition_form

ROLES = ["registrar", "reviewer", "head", "supervisor", "liaison_a", "liaison_b", "admin", "nobody"]
STATES = ["online", *(s for s in STEPS if s != "handling_co")]


class Rollback(Exception):
    pass


def test_every_transition_of_the_event_kinds_is_declared_once():
    from casework.choices import Transition

    # Every named constant is declared; a declaration may use a plain string name.
    assert {t.value for t in Transition} - {"recompute"} <= set(TRANSITIONS)
    assert all(spec.name == name for name, spec in TRANSITIONS.items())


@pytest.mark.django_db
def test_page_form_and_api_body_have_the_table_fields(reach):  # noqa: F811
    case = reach("investigation")
    for spec in offered_transitions():
        table_fields = list(spec.form.base_fields)
        page = transition_form(spec.name, case)
        # The effective date first; the reason for a backdated entry (lifecycle.periods) last.
        assert list(page.fields) == ["on", *table_fields, "backdate_reason"], spec.name
        api = REQUESTS[spec.name]()
        assert list(api.fields) == ["on", *table_fields, "backdate_reason"], spec.name
        for name in table_fields:
            assert api.fields[name].required == spec.form.base_fields[name].required, (
                spec.name,
                name,
            )
            assert str(api.fields[name].label) == str(spec.form.base_fields[name].label), (
                spec.name,
                name,
            )


@pytest.mark.django_db
def test_openapi_schema_documents_each_transition_body(users):
    out = StringIO()
    call_command("spectacular", "--lang", "zh-hans", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    components = schema["components"]["schemas"]
    for spec in offered_transitions():
        path = schema["paths"][f"/api/v1/cases/{{number}}/transitions/{spec.name}/"]
        ref = path["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body = components[ref.rsplit("/", 1)[1]]
        properties = body.get("properties", {})
        assert set(properties) == {"on", *spec.form.base_fields, "backdate_reason"}, spec.name
        required = {name for name, f in spec.form.base_fields.items() if f.required}
        assert set(body.get("required", [])) == required, spec.name
        for name in spec.form.base_fields:
            title = properties[name].get("title", "")
            assert any("\u4e00" <= ch <= "\u9fff" for ch in title), (spec.name, name, title)
    assert "/api/v1/cases/{number}/transitions/recompute/" not in schema["paths"]
    assert "/api/v1/cases/{number}/transitions/issue_letter/" not in schema["paths"]


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
def test_available_actions_are_exactly_what_can_succeed(reach, users, state):  # noqa: F811
    """For each role: an offered action never fails for role or state (403/409) and at most
    asks for its fields (400); an action not offered is refused for role or state, never
    carried out. viewflow's has_perm answers the same as the table's role rules."""
    case = reach(state)
    for who in ROLES:
        user = users[who]
        offered = {a.name for a in available_actions(case, user, now=NOW)}
        lifecycle = CaseLifecycle(case, actor=user, now=NOW, on=NOW.date())
        for spec in offered_transitions():
            method = getattr(lifecycle, spec.name)
            # viewflow answers has_perm only from a state the transition leaves.
            expected = method.can_proceed() and acting_role(spec.roles, case, user) is not None
            assert method.has_perm(user) == expected, (who, spec.name)
            try:
                with transaction.atomic():
                    case_transition(
                        number=case.number, name=spec.name, actor=user, fields={}, now=NOW
                    )
                    raise Rollback
            except Rollback:
                outcome = "done"
            except InvalidInput:
                outcome = "needs input"
            except (NotPermitted, WrongState):
                outcome = "refused"
            assert (outcome != "refused") == (spec.name in offered), (
                state,
                who,
                spec.name,
                outcome,
            )


@pytest.mark.django_db
def test_viewflow_has_perm_answers_for_the_user_asked(reach, users):  # noqa: F811
    case = reach("review")
    lifecycle = CaseLifecycle(case, actor=users["head"], now=NOW, on=NOW.date())
    assert lifecycle.approve.has_perm(users["head"]) is True
    assert lifecycle.approve.has_perm(users["liaison_a"]) is False
    assert lifecycle.approve.has_perm(users["registrar"]) is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["recompute", "issue_letter", "void_letter", "issue_reply", "receive", "nonsense"]
)
def test_names_that_are_not_offered_answer_404_in_chinese(client, reach, users, name):  # noqa: F811
    from rest_framework.test import APIClient

    case = reach("approved")
    api = APIClient()
    api.force_authenticate(users["head"])
    response = api.post(
        f"/api/v1/cases/{case.number}/transitions/{name}/",
        {"letter": "999号", "reason": "x"},
        format="json",
    )
    assert response.status_code == 404
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["message"])
    client.force_login(users["head"])
    assert client.get(f"/work/cases/{case.number}/act/{name}/").status_code == 404
    assert (
        client.post(f"/work/cases/{case.number}/act/{name}/", {"on": "2026-03-16"}).status_code
        == 404
    )
    with pytest.raises(NotVisible):
        case_transition(number=case.number, name=name, actor=users["head"], fields={}, now=NOW)


def test_transitions_command_prints_the_table():
    out = StringIO()
    call_command("transitions", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["name"] for r in rows] == list(TRANSITIONS)
    assign = next(r for r in rows if r["name"] == "assign")
    assert assign["from"] == ["registered"]
    assert assign["to"] == "handling"
    assert [f["name"] for f in assign["fields"]] == [
        "lead_division_id",
        "co_division_ids",
        "division_due_on",
    ]
    extend = next(r for r in rows if r["name"] == "extend")
    assert extend["letters"] == ["extension"]  # the letter registry's declaration
    text = StringIO()
    call_command("transitions", stdout=text)
    assert "assign" in text.getvalue()
    assert "    letters: extension\n" in text.getvalue()
    assert "交办" in text.getvalue()
