"""Self-check campaigns (issue 26 point 1) on real cases: the withheld decisions and withheld
parts still in force and the popular topics are listed with their grounds and dates; the
division concludes, the head approves; every write is permission-checked and audited; the
deadline's reminders and the urging go out once; the report counts per conclusion and
division, as PDF and XLSX."""

from __future__ import annotations

import io
from datetime import date

import pytest

from casework.errors import InvalidInput, NotPermitted, WrongState
from casework.library.index import entry_refresh
from casework.models import AppendOnlyError, Case, Notification
from casework.selfcheck import services
from casework.selfcheck.models import Audit, Campaign, Conclusion, GroundCheck, Item, Kind
from casework.selfcheck.selectors import campaign_report, withheld_in_force
from tests.conftest import NOW, TODAY, VALID_RESIDENT_ID_2, company, person
from tests.letters.test_casefile import replied  # noqa: F401 - fixture
from tests.letters.test_items_letter import approved_three  # noqa: F401 - fixture
from tests.letters.test_letters import approved, pdf_text  # noqa: F401 - fixture

OTHER = person(
    name="李四", id_number=VALID_RESIDENT_ID_2, phone="13900139000", email="ls@example.com"
)


@pytest.fixture
def refused(approved, act):  # noqa: F811
    case = approved("refused.process_information")
    act(case, "issue_reply", "registrar")
    case.refresh_from_db()
    return case


@pytest.fixture
def topic(receive_flow):
    cases = [
        receive_flow(arrived=date(2026, 3, 2), applicant=a) for a in (person(), OTHER, company())
    ]
    for c in Case.objects.all():
        entry_refresh(c.pk)
    return cases


def _open(organ, users, **kw):
    return services.campaign_open(
        organ=organ,
        actor=users["head"],
        now=NOW,
        title="2026年第一季度自查",
        period_start=date(2026, 1, 1),
        period_end=TODAY,
        **kw,
    )


@pytest.mark.django_db
def test_the_campaign_lists_refusals_withheld_parts_and_popular_topics(
    refused,
    replied,  # noqa: F811  # noqa: F811
    topic,
    organ,
    users,
    divisions,
):
    users["liaison_a"].email = "a@example.com"
    users["liaison_a"].save()
    campaign = _open(organ, users)
    items = {i.kind: i for i in campaign.items.all()}
    assert set(items) == {Kind.WITHHELD, Kind.WITHHELD_PART, Kind.POPULAR_TOPIC}
    refusal = items[Kind.WITHHELD]
    assert refusal.case == refused
    assert "第十六条第二款" in refusal.ground
    assert refusal.decided_on == refused.closed_on
    assert refusal.reasons_then
    part = items[Kind.WITHHELD_PART]
    assert part.case == replied
    assert "第五条报价明细" in part.withheld  # what the proposal withheld
    popular = items[Kind.POPULAR_TOPIC]
    assert popular.applicants == 3
    assert {c.number for c in topic} <= set(popular.topic_cases)  # with the earlier two
    assert {i.division_id for i in items.values() if i.is_withheld} == {divisions["a"].pk}
    # 20 working days on the official calendar (2026-03-16 → 2026-04-14; Qingming 4-4..6 off)
    assert campaign.due_on == date(2026, 4, 14)
    assert all(i.due_on == campaign.due_on for i in items.values())
    opened = Audit.objects.get(campaign=campaign, action="opened")
    assert opened.payload["counts"] == {"withheld": 1, "withheld_part": 1, "popular_topic": 1}
    assert Notification.objects.filter(dedupe_key__startswith="selfcheck:opened:").count() == 1


@pytest.mark.django_db
def test_only_the_office_opens_and_only_the_division_concludes(refused, organ, users):
    for who in ("liaison_a", "registrar", "supervisor", "nobody"):
        with pytest.raises(NotPermitted):
            _open(organ, users | {"head": users[who]})
    campaign = _open(organ, users)
    item = campaign.items.get()
    for who in ("liaison_b", "reviewer", "head"):
        with pytest.raises(NotPermitted):
            services.item_conclude(
                item_id=item.pk,
                actor=users[who],
                now=NOW,
                conclusion=Conclusion.KEEP_WITHHELD,
                ground_check=GroundCheck.STILL_HOLDS,
                reasons="仍属过程性信息",
            )
    assert not Audit.objects.filter(item=item).exists()


@pytest.mark.django_db
def test_the_ground_must_agree_with_the_conclusion(refused, organ, users):
    item = _open(organ, users).items.get()
    conclude = {"item_id": item.pk, "actor": users["liaison_a"], "now": NOW, "reasons": "理由"}
    with pytest.raises(InvalidInput):  # kept withheld although the process has ended
        services.item_conclude(
            **conclude,
            conclusion=Conclusion.KEEP_WITHHELD,
            ground_check=GroundCheck.PROCESS_ENDED,
        )
    with pytest.raises(InvalidInput):  # disclosed although the ground still holds
        services.item_conclude(
            **conclude, conclusion=Conclusion.DISCLOSE_NOW, ground_check=GroundCheck.STILL_HOLDS
        )
    with pytest.raises(InvalidInput):  # no reasons
        services.item_conclude(
            **{**conclude, "reasons": " "},
            conclusion=Conclusion.KEEP_WITHHELD,
            ground_check=GroundCheck.STILL_HOLDS,
        )
    item.refresh_from_db()
    assert item.status == Item.Status.PENDING


@pytest.mark.django_db
def test_keep_withheld_is_concluded_returned_and_approved_with_audit(refused, organ, users):
    campaign = _open(organ, users)
    item = campaign.items.get()
    kept = {
        "item_id": item.pk,
        "actor": users["liaison_a"],
        "now": NOW,
        "conclusion": Conclusion.KEEP_WITHHELD,
        "ground_check": GroundCheck.STILL_HOLDS,
        "reasons": "研究论证尚未结束，仍属过程性信息",
    }
    services.item_conclude(**kept)
    with pytest.raises(WrongState):
        services.item_conclude(**kept)  # already concluded
    with pytest.raises(NotPermitted):
        services.item_approve(item_id=item.pk, actor=users["reviewer"], now=NOW)
    services.item_return(item_id=item.pk, actor=users["head"], now=NOW, reason="请核实论证进度")
    services.item_conclude(**kept)
    services.item_approve(item_id=item.pk, actor=users["head"], now=NOW, note="同意")
    item.refresh_from_db()
    assert (item.status, item.conclusion, item.catalogue_item_id) == (
        Item.Status.APPROVED,
        Conclusion.KEEP_WITHHELD,
        None,
    )
    actions = list(Audit.objects.filter(item=item).values_list("action", "actor__username"))
    assert actions == [
        ("concluded", "liaison_a"),
        ("returned", "head"),
        ("concluded", "liaison_a"),
        ("approved", "head"),
    ]
    row = Audit.objects.filter(item=item).first()
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        Audit.objects.filter(item=item).delete()
    from django.db import DatabaseError, connection, transaction

    if connection.vendor == "postgresql":  # the trigger refuses raw SQL too (migration 0002)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE selfcheck_audit SET action = 'forged'")
    assert not Audit.objects.filter(action="forged").exists()
    services.campaign_close(campaign_id=campaign.pk, actor=users["head"], now=NOW)
    # The next campaign lists the decision again: it is still withheld.
    again = _open(organ, users)
    assert again.items.filter(case=refused).exists()


@pytest.mark.django_db
def test_a_campaign_closes_only_when_every_item_is_approved(refused, organ, users):
    campaign = _open(organ, users)
    with pytest.raises(WrongState):
        services.campaign_close(campaign_id=campaign.pk, actor=users["head"], now=NOW)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.OPEN


@pytest.mark.django_db
def test_reminders_and_urging_go_out_once(refused, organ, users, settings):
    users["liaison_a"].email = "a@example.com"
    users["liaison_a"].save()
    campaign = _open(organ, users)
    item = campaign.items.get()
    from casework.selectors import working_calendar

    calendar = working_calendar()
    five_before = next(
        d
        for d in (date(2026, 4, n) for n in range(1, 14))
        if calendar.add_working_days(d, 5) == item.due_on
    )
    assert services.selfcheck_reminders_send(now=NOW, today=five_before) == 1
    assert services.selfcheck_reminders_send(now=NOW, today=five_before) == 1  # the same key
    assert Notification.objects.filter(dedupe_key__startswith="selfcheck:remind:").count() == 1
    assert services.selfcheck_reminders_send(now=NOW, today=date(2026, 4, 15)) == 1  # overdue
    with pytest.raises(NotPermitted):
        services.item_urge(item_id=item.pk, actor=users["liaison_b"], now=NOW)
    services.item_urge(item_id=item.pk, actor=users["supervisor"], now=NOW, message="请尽快办理")
    item.refresh_from_db()
    assert item.urges == 1
    urge = Notification.objects.get(dedupe_key=f"selfcheck:urge:{item.pk}:1")
    assert urge.to == ["a@example.com"]
    assert "请尽快办理" in urge.body


@pytest.mark.django_db
def test_a_corrected_decision_is_no_longer_in_force(refused, organ, users, act):
    assert [c.case for c in withheld_in_force(organ, date(2026, 1, 1), TODAY)] == [refused]
    act(
        refused,
        "record_remedy",
        "reviewer",
        remedy="reconsideration",
        outcome="corrected",
        filed_on="2026-03-16",
        decided_on="2026-03-16",
        body="济南市人民政府",
    )
    assert withheld_in_force(organ, date(2026, 1, 1), TODAY) == []


@pytest.mark.django_db
def test_the_report_counts_per_conclusion_and_division(
    tmp_path,
    refused,
    replied,  # noqa: F811
    organ,
    users,
    client,
):
    campaign = _open(organ, users)
    first = campaign.items.get(case=refused)
    services.item_conclude(
        item_id=first.pk,
        actor=users["liaison_a"],
        now=NOW,
        conclusion=Conclusion.KEEP_WITHHELD,
        ground_check=GroundCheck.STILL_HOLDS,
        reasons="仍属过程性信息",
    )
    services.item_approve(item_id=first.pk, actor=users["head"], now=NOW)
    report = campaign_report(campaign)
    assert report.total == 2
    [(division, counts, total)] = report.rows
    assert division == "安置处"
    assert counts == [1, 0, 0, 1]
    assert total == 2
    client.force_login(users["reviewer"])
    pdf = client.get(f"/work/selfcheck/{campaign.pk}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    import subprocess

    (tmp_path / "report.pdf").write_bytes(pdf.content)
    text = "".join(pdf_text(pdf.content, tmp_path).split())  # lines broken by the layout
    for expected in (
        "自查情况报告",
        "共梳理不予公开决定1件、部分公开中不予公开的部分1件",  # the narrative
        "维持现状1项，立即公开0项，转为主动公开0项，尚有1项未完成",
        "安置处",
        "尚未完成",
        "合计",
        refused.number,
    ):
        assert expected in text, expected
    # Page 1 as an image, to be looked at (issue 26: the report looked at as an image).
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "report.pdf"),
            str(tmp_path / "report"),
        ],
        check=True,
    )
    assert (tmp_path / "report-1.png").stat().st_size > 10_000
    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(client.get(f"/work/selfcheck/{campaign.pk}/report.xlsx").content)
    )
    sheet = book["按处室和结论"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[1] == ["安置处", 1, 0, 0, 1, 2]
    assert rows[-1][0] == "合计"
    client.force_login(users["liaison_a"])
    assert client.get(f"/work/selfcheck/{campaign.pk}/report.pdf").status_code == 404


@pytest.mark.django_db
def test_disclosing_conclusions_are_published_in_the_catalogue(refused, topic, organ, users):
    from casework.catalogue.models import CatalogueItem, Category, ItemHistory
    from casework.catalogue.selectors import public_items
    from casework.catalogue.services import categories_ensure

    categories_ensure()
    category = Category.objects.get(name="依申请公开转主动公开")
    campaign = _open(organ, users)
    refusal = campaign.items.get(kind=Kind.WITHHELD)
    popular = campaign.items.get(kind=Kind.POPULAR_TOPIC)
    services.item_conclude(
        item_id=refusal.pk,
        actor=users["liaison_a"],
        now=NOW,
        conclusion=Conclusion.DISCLOSE_NOW,
        ground_check=GroundCheck.PROCESS_ENDED,
        reasons="研究论证已经结束，不再属于过程性信息",
    )
    with pytest.raises(InvalidInput):  # a disclosing approval names the catalogue's category
        services.item_approve(item_id=refusal.pk, actor=users["head"], now=NOW)
    assert not CatalogueItem.objects.exists()
    services.item_approve(item_id=refusal.pk, actor=users["head"], now=NOW, category=category)
    services.item_conclude(
        item_id=popular.pk,
        actor=users["liaison_a"],
        now=NOW,
        conclusion=Conclusion.CONVERT_PROACTIVE,
        reasons="多位申请人申请相同信息",
    )
    services.item_approve(item_id=popular.pk, actor=users["head"], now=NOW, category=category)
    refusal.refresh_from_db()
    popular.refresh_from_db()
    made = {i.source_kind: i for i in CatalogueItem.objects.all()}
    assert made["selfcheck"].pk == refusal.catalogue_item_id
    assert made["selfcheck"].source_ref == str(refusal.pk)
    assert made["popular_topic"].pk == popular.catalogue_item_id
    assert {i.status for i in made.values()} == {"published"}
    assert set(public_items(organ)) == set(made.values())
    assert ItemHistory.objects.filter(item=made["selfcheck"], actor=users["head"]).count() == 2
    report = campaign_report(campaign)
    assert report.catalogue == {"selfcheck": 1, "popular_topic": 1}
    # Disclosed: the next campaign no longer lists them (no longer withheld, converted).
    services.campaign_close(campaign_id=campaign.pk, actor=users["head"], now=NOW)
    assert (
        not _open(organ, users).items.filter(kind__in=[Kind.WITHHELD, Kind.POPULAR_TOPIC]).exists()
    )


@pytest.mark.django_db
def test_a_request_of_several_items_lists_its_withheld_item_only(approved_three, organ, users):  # noqa: F811
    from letters.services import letter_issue

    case = approved_three
    letter_issue(number=case.number, kind="reply.partial", actor=users["registrar"], now=NOW)
    [entry] = withheld_in_force(organ, date(2026, 1, 1), TODAY)
    assert entry.source_key == f"case:{case.pk}:item:3"
    assert entry.kind == Kind.WITHHELD
    assert entry.position == 3
    assert "资金使用明细" in entry.title
    assert entry.ground.endswith("第十六条第一款、第三十六条第（三）项")
    assert entry.reasons_then == "资金使用明细属于本机关内部财务管理信息。"


@pytest.mark.django_db
def test_a_withheld_part_names_the_release_sets_statement(replied, organ, users):  # noqa: F811
    from letters.records import services as records
    from letters.records.models import Record, Redaction, ReleaseSet

    # The statement frozen with the set (letters.records.services.withheld_statement), here
    # of a box withheld on page 1 under Art 15 (set up as a row: the replied case's records
    # no longer take redactions).
    record = Record.objects.get(case=replied)
    Redaction.objects.create(
        record=record,
        page=1,
        x0=0.1,
        y0=0.1,
        x1=0.5,
        y1=0.2,
        ground="art15",
        created_by=users["liaison_a"],
    )
    release_set = ReleaseSet.objects.get(case=replied)
    ReleaseSet.objects.filter(pk=release_set.pk).update(
        statement=records.withheld_statement(release_set)
    )
    [entry] = withheld_in_force(organ, date(2026, 1, 1), TODAY)
    assert entry.kind == Kind.WITHHELD_PART
    assert "第五条报价明细" in entry.withheld  # the proposal's words
    assert "附件1：第十五条（第1页共1处）" in entry.withheld  # the frozen statement
