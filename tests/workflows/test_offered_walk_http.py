"""Only actions that can succeed are offered (issue 24 point 2, "must show"), walked the way an
officer and an API client meet them: for every role and every state the factories reach
(flow-backed cases, today's dates), the case page and the API's `actions` are read, and every
action offered is fired — each transition through its page (the form as the page serves it,
its defaults kept, the blanks filled as an officer would) and through the API (its `url`),
each letter through the letters page and through the API — every one in a savepoint rolled
back afterwards. None may answer 400, 403, 404, 409 or 500: a page action lands back on the
case, an API action answers 200. The page and the API offer the same actions.

The walk's size is printed (roles × states × actions fired)."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

from django.db import transaction
from django.utils import timezone

import pytest

from casework.choices import Channel
from casework.lifecycle import available_actions
from letters.offer import letters_offered
from tests.casework.lifecycle.test_table import ROLES
from tests.conftest import REQUEST, at, person

# How to bring a fresh case to each state through the flow (workflows.services.case_act),
# with today's dates: (transition, who, fields). Division codes and user names are resolved
# when fired; "+N" is a date N days from today.
_REGISTERED = [("register", "registrar", {})]
_HANDLING = [*_REGISTERED, ("assign", "reviewer", {"lead_division_id": "a"})]
_INVESTIGATION = [*_HANDLING, ("claim", "liaison_a", {})]
_GRANTED = {"disposition": "granted", "arrangement": "post", "arranged_on": "+3"}
_REVIEW = [*_INVESTIGATION, ("propose", "liaison_a", _GRANTED)]
_APPROVED = [*_REVIEW, ("check", "reviewer", {}), ("approve", "head", {})]
_REPLIED = [*_APPROVED, ("issue_reply", "registrar", {})]
WALK_STATES: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "online, unconfirmed": [],
    "received": [],
    "registered": _REGISTERED,
    "correction": [
        *_REGISTERED,
        ("request_correction", "registrar", {"items": "请写明文件名称", "deadline_on": "+15"}),
    ],
    "handling": _HANDLING,
    "handling, co-division": [
        *_REGISTERED,
        ("assign", "reviewer", {"lead_division_id": "a", "co_division_ids": ["b"]}),
    ],
    "investigation": _INVESTIGATION,
    "extension requested": [
        *_INVESTIGATION,
        ("request_extension", "liaison_a", {"days": 10, "reason": "需调取档案"}),
    ],
    "extended": [
        *_INVESTIGATION,
        ("extend", "head", {"days": 10, "reason": "需调取档案"}),
    ],
    "consulting": [
        *_INVESTIGATION,
        ("open_consultation", "liaison_a", {"party": "third_party", "party_name": "某公司"}),
    ],
    "awaiting fee": [
        *_INVESTIGATION,
        ("notify_fee", "liaison_a", {"method": "per_piece", "quantity": 12, "amount": "200"}),
    ],
    "review": _REVIEW,
    "review, checked": [*_REVIEW, ("check", "reviewer", {})],
    "returned for revision": [
        *_REVIEW,
        ("return_for_revision", "reviewer", {"reason": "依据不准"}),
    ],
    "approved": _APPROVED,
    "replied": _REPLIED,
    "replied, delivered": [*_REPLIED, ("record_delivery", "registrar", {"method": "email"})],
    "archived": [
        *_REPLIED,
        ("record_delivery", "registrar", {"method": "email"}),
        ("archive", "registrar", {}),
    ],
    "withdrawn": [*_INVESTIGATION, ("withdraw", "registrar", {"reason": "申请人撤回"})],
}

# What an officer types where a field is required and the page leaves it blank, by field name
# (per transition where the same name means another thing); "+N": a date N days from today.
FILL: dict[str, Any] = {
    "items": "请写明文件名称",
    "deadline_on": "+15",
    "reason": "需要说明的理由",
    "days": "10",
    "party": "third_party",
    "party_name": "某公司",
    "opinion": "同意公开",
    "message": "请加快办理",
    "method": "电话确认",
    "quantity": "12",
    "amount": "200",
    "phone": "13900000000",
    "filed_on": "+0",
    "remedy": "reconsideration",
    "outcome": "pending",
    "subject": "2025年度退役士兵安置计划",
    "text": "补正内容",
}
FILL_FOR: dict[str, dict[str, Any]] = {
    # A decision that provides by post, as the granted proposal of the factories.
    "propose": {"disposition": "granted", "arrangement": "post", "arranged_on": "+3"},
    "reply_on_the_spot": {"disposition": "granted", "arrangement": "post", "arranged_on": "+0"},
    "close_consultation": {"opinion": "agree"},
    "notify_fee": {"method": "per_piece"},
    "update_applicant": {"phone": "13900000000"},  # a change (none at all is refused)
}


def _date(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\+\d+", value):
        return (timezone.localdate() + timedelta(days=int(value[1:]))).isoformat()
    return value


class _Forms(HTMLParser):
    """The page's forms as a browser submits them: each field's value as served (the checked
    radio or box, the selected option or else the first), and which are required."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self.form: dict[str, Any] | None = None
        self.select: dict[str, Any] | None = None
        self.textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "data": {},
                "required": set(),
                "options": {},
            }
            self.forms.append(self.form)
            return
        form = self.form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type") or "text"
            if kind in ("submit", "button", "file", "reset"):
                return
            if "required" in a:
                form["required"].add(name)
            if kind in ("checkbox", "radio"):
                form["options"].setdefault(name, []).append(a.get("value") or "on")
                if "checked" in a:
                    form["data"][name] = a.get("value") or "on"
                return
            form["data"][name] = a.get("value") or ""
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in a, "all": [], "chosen": []}
            if "required" in a:
                form["required"].add(name)
        elif tag == "option" and self.select is not None:
            value = a.get("value") or ""
            self.select["all"].append(value)
            if "selected" in a:
                self.select["chosen"].append(value)
        elif tag == "textarea" and name:
            self.textarea = {"name": name, "text": ""}
            if "required" in a:
                form["required"].add(name)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag: str) -> None:
        form = self.form
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None and form is not None:
            select, self.select = self.select, None
            form["options"][select["name"]] = [v for v in select["all"] if v]
            if select["multiple"]:
                form["data"][select["name"]] = select["chosen"]
            else:
                chosen = select["chosen"] or select["all"][:1]
                form["data"][select["name"]] = chosen[0] if chosen else ""
        elif tag == "textarea" and self.textarea is not None and form is not None:
            area, self.textarea = self.textarea, None
            form["data"][area["name"]] = area["text"].removeprefix("\n")


def page_forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def filled(name: str, form: dict[str, Any]) -> dict[str, Any]:
    """The form's data with what an officer adds: the transition's own choices, then each
    required blank (a list's first option, or the usual words)."""
    data = dict(form["data"])
    for key, value in FILL_FOR.get(name, {}).items():
        if key in data or key in form["options"]:
            data[key] = _date(value)
    for key in form["required"]:
        if data.get(key) in (None, "", []):
            options = form["options"].get(key)
            data[key] = FILL[key] if key in FILL and not options else (options or [""])[0]
            if key in FILL and options and FILL[key] in options:
                data[key] = FILL[key]
            data[key] = _date(data[key])
    return data


def _api_body(data: dict[str, Any]) -> dict[str, Any]:
    """The same values as a JSON body (no token, no date: the API's `on` is today)."""
    return {
        k: v
        for k, v in data.items()
        if k not in ("csrfmiddlewaretoken", "on", "next") and v not in ("", None)
    }


class Rollback(Exception):
    pass


def _in_savepoint(run):
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            result["response"] = run()
            raise Rollback
    except Rollback:
        pass
    return result["response"]


def _offered_on_page(html: str, number: str) -> tuple[set[str], bool]:
    """The transitions the case page offers (links to and short forms of action pages) and
    whether it offers the letters page."""
    names = set(re.findall(rf"/work/cases/{re.escape(number)}/act/(\w+)/", html))
    letters = f"/work/cases/{number}/letters/" in html
    return names, letters


@pytest.fixture
def walk_states(organ, divisions, users):
    """name -> a case brought there through the flow, today."""
    from django.contrib.auth.models import User

    from workflows.services import case_act, case_receive

    def make(state: str):
        channel = Channel.ONLINE if state.startswith("online") else Channel.IN_PERSON
        case = case_receive(
            organ=organ,
            actor=users["registrar"],
            channel=channel,
            arrived_at=at(timezone.localdate() - timedelta(days=1)),
            applicant=person(),
            request=REQUEST,
            now=timezone.now(),
        )
        for name, who, fields in WALK_STATES[state]:
            data = {k: _date(v) for k, v in fields.items()}
            if "lead_division_id" in data:
                data["lead_division_id"] = divisions[data["lead_division_id"]].pk
            if "co_division_ids" in data:
                data["co_division_ids"] = [divisions[c].pk for c in data["co_division_ids"]]
            if "assignee_id" in data:
                data["assignee_id"] = User.objects.get(username=data["assignee_id"]).pk
            case_act(number=case.number, name=name, actor=users[who], fields=data)
        case.refresh_from_db()
        return case

    return make


def _walk_role(client, case, user, who: str, state: str, fired: dict[str, int]) -> None:
    number = case.number
    client.force_login(user)
    page = client.get(f"/cases/{number}/")
    api = client.get(f"/api/v1/cases/{number}/")
    if page.status_code == 404:  # not this user's case: nothing is offered anywhere
        assert api.status_code == 404, (state, who)
        assert not available_actions(case, user), (state, who)
        return
    assert page.status_code == 200, (state, who, page.status_code)
    assert api.status_code == 200, (state, who, api.status_code)
    html = page.content.decode()
    on_page, letters_link = _offered_on_page(html, number)
    expected = {a.name for a in available_actions(case, user)}
    kinds = letters_offered(case, user)[0]
    assert on_page == expected, (state, who, on_page, expected)
    assert letters_link == bool(kinds), (state, who, kinds)
    actions = api.json()["actions"]
    assert {a["name"] for a in actions} == expected | {f"letter:{k}" for k in kinds}, (state, who)

    for name in sorted(expected):
        url = f"/work/cases/{number}/act/{name}/"
        form_page = client.get(url)
        assert form_page.status_code == 200, (state, who, name, form_page.status_code)
        [form] = [
            f
            for f in page_forms(form_page.content.decode())
            if f["method"] == "post" and f["action"] in ("", url) and "on" in f["data"]
        ]
        data = filled(name, form)

        def by_page(url=url, data=data):
            return client.post(url, data)

        response = _in_savepoint(by_page)
        errors = re.findall(
            r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
        )
        assert response.status_code == 302, (state, who, name, response.status_code, errors)
        # Back on the case, or on the workbench when the step took the case out of sight
        # (退回分办): never a 404 page.
        assert response["Location"] in (f"/cases/{number}/", "/work/"), (state, who, name)
        fired["page"] += 1

        action = next(a for a in actions if a["name"] == name)

        def by_api(action=action, data=data):
            return client.post(action["url"], _api_body(data), content_type="application/json")

        response = _in_savepoint(by_api)
        assert response.status_code == 200, (state, who, name, response.content[:400])
        fired["api"] += 1

    if kinds:
        letters_url = f"/work/cases/{number}/letters/"
        assert client.get(letters_url).status_code == 200, (state, who)
    for key in kinds:

        def letter_by_page(key=key):
            return client.post(f"/work/cases/{number}/letters/", {"kind": key})

        response = _in_savepoint(letter_by_page)
        assert response.status_code == 302, (state, who, key, response.status_code)
        fired["letters"] += 1
        action = next(a for a in actions if a["name"] == f"letter:{key}")

        def letter_by_api(action=action):
            return client.post(action["url"], content_type="application/json")

        response = _in_savepoint(letter_by_api)
        assert response.status_code == 200, (state, who, key, response.content[:400])
        fired["letters_api"] += 1


@pytest.mark.django_db
def test_every_action_offered_on_the_page_and_in_the_api_succeeds(
    client, walk_states, users, capsys
):
    fired = {"page": 0, "api": 0, "letters": 0, "letters_api": 0}
    seen = 0
    for state in WALK_STATES:
        case = walk_states(state)
        for who in ROLES:
            _walk_role(client, case, users[who], who, state, fired)
            seen += 1
    total = sum(fired.values())
    line = (
        f"role x state walk: {len(ROLES)} roles x {len(WALK_STATES)} states ({seen} pairs): "
        f"{fired['page']} transitions fired on their pages and {fired['api']} through the API, "
        f"{fired['letters']} letters on the letters page and {fired['letters_api']} through the "
        f"API; {total} actions fired, every one succeeded"
    )
    with capsys.disabled():
        print("\n" + line)  # noqa: T201
    assert fired["page"] >= 50
    assert fired["letters"] >= 10
