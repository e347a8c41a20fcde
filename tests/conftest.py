"""Shared fixtures: an organ with divisions, one user per role, and case factories that go
through the services (setup follows the production paths)."""

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User

import pytest

from casework.choices import ApplicantCategory, Channel, IdType, Role
from casework.models import Case, Division, Organ
from casework.permissions import division_grant_member
from casework.services import case_receive, case_transition


def pytest_configure(config: pytest.Config) -> None:
    """Compile the zh-hans catalogues whose .mo is missing or older than its .po, so a fresh
    clone's first `pytest` is in Chinese without a `compilemessages` first (the .mo files are
    not committed)."""
    from casework.management.messages import catalogues_compile_stale

    catalogues_compile_stale(Path(__file__).resolve().parent.parent)


TZ = ZoneInfo("Asia/Shanghai")
VALID_RESIDENT_ID = "370102198001011237"
VALID_RESIDENT_ID_2 = "11010519491231002X"
VALID_USCC = "91370100MA3C5XY014"


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


# A Monday in an ordinary stretch of 2026 (no holiday for weeks on either side).
TODAY = date(2026, 3, 16)
NOW = at(TODAY, 15)


def person(**overrides: Any) -> dict[str, Any]:
    data = {
        "category": ApplicantCategory.NATURAL_PERSON,
        "name": "张三",
        "id_type": IdType.RESIDENT_ID,
        "id_number": VALID_RESIDENT_ID,
        "phone": "13800138000",
        "email": "zhangsan@example.com",
        "address": "济南市历下区某路1号",
        "postal_code": "250000",
    }
    data.update(overrides)
    return data


def company(**overrides: Any) -> dict[str, Any]:
    data = {
        "category": ApplicantCategory.COMMERCIAL,
        "name": "济南某某科技有限公司",
        "credit_code": VALID_USCC,
        "contact_person": "李四",
        "phone": "0531-88886666",
    }
    data.update(overrides)
    return data


REQUEST = {
    "subject": "2025年度退役士兵安置计划",
    "description": "请提供文件全文。",
    "provision_form": "electronic",
    "delivery_method": "email",
}


class _DatabaseClock:
    """Equals an entry time the database's clock wrote just now (within a few seconds)."""

    def __init__(self) -> None:
        from django.utils import timezone

        self.since = timezone.now()

    def __eq__(self, other: object) -> bool:
        from datetime import timedelta

        from django.utils import timezone

        return isinstance(other, datetime) and (
            self.since - timedelta(seconds=5) <= other <= timezone.now() + timedelta(seconds=5)
        )

    def __repr__(self) -> str:
        return f"<the database's clock since {self.since.isoformat()}>"


def entry_recorded(now: datetime) -> Any:
    """The entry time an event written with the lifecycle's `now` records: `now` on SQLite,
    where the ledger writes it; on PostgreSQL the database's clock (migration 0018), whatever
    `now` the test passed: what compares equal to an instant of the last few seconds."""
    from django.db import connection

    return _DatabaseClock() if connection.vendor == "postgresql" else now


@pytest.fixture(autouse=True)
def _own_anchor_file(settings: Any, tmp_path: Path) -> None:
    """Each test publishes audit anchors to its own file (casework/anchors.py)."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "anchors" / "anchors.log"


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> None:
    """Each test builds its own calendar rows; never reuse another test's cached calendar."""
    from django.core.cache import cache

    from casework.selectors import working_calendar_forget

    working_calendar_forget()
    cache.clear()  # throttling counters and the like never leak between tests


@pytest.fixture
def official_calendar(db: Any) -> None:
    """The State Council arrangements of 2024–2026, as the demo loads them."""
    from casework.calendar_data import calendar_load_from_package

    calendar_load_from_package([2024, 2025, 2026])


@pytest.fixture
def organ(official_calendar: None) -> Organ:
    return Organ.objects.create(
        name="济南市退役军人事务局",
        short_name="济退役军人",
        address="济南市龙奥北路1号",
        postal_code="250099",
        phone="0531-12345678",
        reconsideration_organ="济南市人民政府",
        court="济南铁路运输法院",
        letter_number_prefix="济退役军人依复",
    )


@pytest.fixture
def divisions(organ: Organ) -> dict[str, Division]:
    return {
        code: Division.objects.create(organ=organ, code=code, name=name)
        for code, name in [("a", "安置处"), ("b", "优抚处"), ("c", "办公室")]
    }


def _role_group(role: str) -> Group:
    """The role's group with its permissions. Migrations create them, but a transactional
    test's flush removes migration data, so tests make sure they exist."""
    from django.contrib.auth.models import Permission

    from casework.permissions import ROLE_TASK_PERMS

    group, _ = Group.objects.get_or_create(name=role)
    wanted = [*ROLE_TASK_PERMS.get(role, ()), "workflows.view_caseprocess"]
    for dotted in wanted:
        app_label, codename = dotted.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


def _user(username: str, role: str | None) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username)
    if role:
        user.groups.add(_role_group(role))
    return user


@pytest.fixture
def users(divisions: dict[str, Division]) -> dict[str, User]:
    result = {
        "registrar": _user("registrar", Role.REGISTRAR),
        "reviewer": _user("reviewer", Role.REVIEWER),
        "head": _user("head", Role.OFFICE_HEAD),
        "supervisor": _user("supervisor", Role.SUPERVISOR),
        "admin": _user("admin", Role.ADMINISTRATOR),
        "liaison_a": _user("liaison_a", Role.LIAISON),
        "liaison_a2": _user("liaison_a2", Role.LIAISON),
        "liaison_b": _user("liaison_b", Role.LIAISON),
        "nobody": _user("nobody", None),
    }
    division_grant_member(result["liaison_a"], divisions["a"])
    division_grant_member(result["liaison_a2"], divisions["a"])
    division_grant_member(result["liaison_b"], divisions["b"])
    return result


@pytest.fixture
def receive(organ: Organ, users: dict[str, User]) -> Callable[..., Case]:
    def _receive(
        channel: str = Channel.IN_PERSON,
        arrived: date = TODAY,
        applicant: dict[str, Any] | None = None,
        now: datetime = NOW,
        **kwargs: Any,
    ) -> Case:
        return case_receive(
            organ=organ,
            actor=users["registrar"],
            channel=channel,
            arrived_at=at(arrived),
            applicant=applicant or person(),
            request=REQUEST,
            now=now,
            **kwargs,
        )

    return _receive


@pytest.fixture
def fire(users: dict[str, User]) -> Callable[..., Case]:
    """fire(case, "register", "registrar", on=..., **fields); the transitions only services
    fire (issue_reply, letter events) are fired as those services do (internal). A step with
    an earlier effective date is entered that day (at(on)) unless `now` says otherwise: a
    step entered days later is the backdating the lifecycle asks a reason for."""
    from casework.lifecycle import TRANSITIONS

    def _fire(
        case: Case,
        name: str,
        who: str,
        on: date | None = None,
        now: datetime | None = None,
        **fields: Any,
    ) -> Case:
        if now is None:
            now = at(on, 15) if on is not None and on < NOW.date() else NOW
        return case_transition(
            number=case.number,
            name=name,
            actor=users[who],
            on=on or now.date(),
            fields=fields,
            now=now,
            internal=not TRANSITIONS[name].offered,
        )

    return _fire


# --- the same through the workflow (starts the flow, moves tasks) ----------------------------


@pytest.fixture
def receive_flow(organ, users) -> Callable[..., Case]:
    def _receive(
        channel: str = Channel.IN_PERSON, arrived: date = date(2026, 3, 2), **kwargs: Any
    ) -> Case:
        from workflows.services import case_receive as flow_receive

        return flow_receive(
            organ=organ,
            actor=users["registrar"],
            channel=channel,
            arrived_at=at(arrived),
            applicant=kwargs.pop("applicant", person()),
            request=REQUEST,
            now=kwargs.pop("now", NOW),
            **kwargs,
        )

    return _receive


@pytest.fixture
def act(users) -> Callable[..., Case]:
    def _act(case: Case, name: str, who: str, on: date | None = None, **fields: Any) -> Case:
        from workflows.services import case_act

        return case_act(
            number=case.number,
            name=name,
            actor=users[who],
            on=on or NOW.date(),
            fields=fields,
            now=at(on, 15) if on is not None and on < NOW.date() else NOW,
        )

    return _act


def real_pdf(**extra: Any) -> bytes:
    """A small, valid one-page PDF (pikepdf); `extra` entries go into the document catalogue,
    e.g. OpenAction=<a JavaScript action> for the upload checks' tests."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    for key, value in extra.items():
        pdf.Root[f"/{key}"] = value
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """With --reuse-db, a transactional test of an earlier run may have flushed the rows the
    data migrations made (the role groups and their permissions): put them back, as those
    migrations do, so local reruns behave like a fresh database."""
    from casework.catalogue.services import categories_ensure
    from workflows.roles import role_groups_ensure

    with django_db_blocker.unblock():
        role_groups_ensure()
        categories_ensure()  # the catalogue's headings (catalogue migration 0002)
