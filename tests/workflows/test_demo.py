import re
from io import StringIO

from django.core.management import call_command

import pytest

from casework.models import Case, Event, Organ
from letters.models import Letter


@pytest.mark.django_db
def test_load_demo_loads_everything_and_is_idempotent():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "已创建示例案件 11 件" in out.getvalue()
    snapshot = (
        Organ.objects.count(),
        Case.objects.count(),
        Event.objects.count(),
        Letter.objects.count(),
    )
    call_command("load_demo", stdout=out)
    assert "未重复创建" in out.getvalue()
    assert (
        Organ.objects.count(),
        Case.objects.count(),
        Event.objects.count(),
        Letter.objects.count(),
    ) == snapshot
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {
        "received",
        "correction",
        "handling",
        "investigation",
        "review",
        "replied",
        "archived",
        "withdrawn",
    } <= statuses
    assert Letter.objects.filter(kind="reply.unable.not_held").exists()
    # The demo organ has a specimen seal, so its sealed letters show one (a reply is sealed by
    # default: letters.registry); the organ uploads its own seal image in the admin.
    organ = Organ.objects.get()
    assert organ.seal
    seal_mark = '<img class="seal" src="data:image/png;base64,'
    replies = Letter.objects.filter(kind__startswith="reply.")
    assert replies.exists()
    assert all(seal_mark in letter.html for letter in replies)


@pytest.mark.django_db
def test_every_demo_division_has_an_officer_listed_in_the_readme_with_the_demo_password():
    from pathlib import Path

    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from casework.models import Division
    from casework.permissions import division_members
    from workflows.management.commands.load_demo import DEMO_PASSWORD

    call_command("load_demo", stdout=StringIO())
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    divisions = Division.objects.all()
    assert divisions.count() == 6
    for division in divisions:
        officers = list(division_members(division))
        assert officers, division.name
        for officer in officers:
            row = rf"\| `{officer.username}` \| 联络员[^|]*\| {division.name} \|"
            assert re.search(row, readme), row
            # django-axes needs the request (it keys lock-outs on account + address).
            request = RequestFactory().post("/login/")
            assert (
                authenticate(request, username=officer.username, password=DEMO_PASSWORD) == officer
            )


@pytest.mark.django_db
def test_every_open_demo_case_can_be_worked_by_a_demo_user():
    """No demo case is stuck: each open case offers some demo user an action that moves it
    on (urging alone does not count), and a case in a division is claimable there."""
    from django.contrib.auth.models import User

    from casework.choices import OPEN_STATUSES
    from casework.lifecycle import available_actions

    call_command("load_demo", stdout=StringIO())
    users = list(User.objects.exclude(username="AnonymousUser"))
    assert len(users) == 11
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
    assert open_cases.count() >= 8
    for case in open_cases:
        moves = {
            (user.username, action.name)
            for user in users
            for action in available_actions(case, user)
            if action.name not in {"urge", "record_remedy", "update_applicant"}
        }
        assert moves, case.number
        if case.status == "handling":
            assert any(name == "claim" for _user, name in moves), case.number
