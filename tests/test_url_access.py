"""Every route that takes an object id answers an officer of another division and an
anonymous visitor without showing the object: 404 for the officer (the same as a missing
case), a login redirect or 401 for the anonymous visitor. A new id-taking route that this
test does not know fails it."""

from datetime import date

from django.urls import URLPattern, URLResolver, get_resolver

import pytest
from rest_framework.test import APIClient

from casework.lifecycle import offered_transitions
from casework.models import Event
from tests.conftest import real_pdf

# route name -> (HTTP method, kwargs); {number} is a case of division a.
COVERED = {
    "casework:case-detail": ("get", {"number": "{number}"}),
    "casework:attachment": ("get", {"number": "{number}", "pk": "{attachment}"}),
    "casework:id-number-reveal": ("post", {"number": "{number}"}),
    "casework:casefile-full-id": ("post", {"number": "{number}"}),
    "casework:case-note-add": ("post", {"number": "{number}"}),
    "workflows:case-action": ("get", {"number": "{number}", "name": "propose"}),
    "workflows:quick-action": ("post", {"number": "{number}", "name": "claim"}),
    "api:case-detail": ("get", {"number": "{number}"}),
    "api:case-transition": ("post", {"number": "{number}", "name": "claim"}),
    "api:case-letter": ("post", {"number": "{number}", "kind": "acknowledgement"}),
    "api:letter-pdf": ("get", {"pk": "{letter}"}),
    "workflows:letter-issue": ("get", {"number": "{number}"}),
    "workflows:letter-void": ("post", {"pk": "{letter}"}),
    "letters:letter-pdf": ("get", {"pk": "{letter}"}),
    "letters:casefile": ("get", {"number": "{number}"}),
    "letters:casefile-archived": ("get", {"number": "{number}"}),
    "letters:letter-preview": ("get", {"number": "{number}", "kind": "acknowledgement"}),
    "letters:letter-delivery": ("get", {"pk": "{letter}"}),
    "letters:letter-service-proof": ("get", {"pk": "{letter}"}),
    # The applicant portal: opened only by number + query code in this browser session;
    # everyone else (anonymous or staff) is sent back to the look-up form, whatever exists.
    "portal:track-case": ("get", {"number": "{number}"}),
    "portal:track-letter": ("get", {"number": "{number}", "pk": "{letter}"}),
    "portal:track-withdraw": ("post", {"number": "{number}"}),
    "portal:track-correction": ("post", {"number": "{number}"}),
    "portal:track-released": ("get", {"number": "{number}", "pk": "{released}"}),
    # Responsive records (letters.records), staff side.
    "records:index": ("get", {"number": "{number}"}),
    "records:progress": ("get", {"number": "{number}"}),
    "records:release-build": ("post", {"number": "{number}"}),
    "records:review": ("get", {"number": "{number}", "sid": "{set}"}),
    "records:review-decide": ("post", {"number": "{number}", "sid": "{set}"}),
    "records:released": ("get", {"number": "{number}", "sid": "{set}", "fid": "{released}"}),
    "records:released-page": (
        "get",
        {"number": "{number}", "sid": "{set}", "fid": "{released}", "page": "1"},
    ),
    "records:record": ("get", {"number": "{number}", "pk": "{record}"}),
    "records:original": ("get", {"number": "{number}", "pk": "{record}"}),
    "records:page": ("get", {"number": "{number}", "pk": "{record}", "page": "1"}),
    "records:redaction-add": ("post", {"number": "{number}", "pk": "{record}"}),
    "records:redaction-remove": (
        "post",
        {"number": "{number}", "pk": "{record}", "rid": "{redaction}"},
    ),
    "records:withhold": ("post", {"number": "{number}", "pk": "{record}"}),
    "records:accept": ("post", {"number": "{number}", "pk": "{record}"}),
    "records:dismiss": ("post", {"number": "{number}", "pk": "{record}"}),
    "records:names": ("post", {"number": "{number}", "pk": "{record}"}),
    "records:retry": ("post", {"number": "{number}", "pk": "{record}"}),
    "records:remove": ("post", {"number": "{number}", "pk": "{record}"}),
    # Issue 24: the draft reply beside the deciding forms, the 办理审批单.
    "workflows:decision-preview": ("get", {"number": "{number}"}),
    "workflows:decision-preview-image": ("get", {"number": "{number}"}),
    "workflows:approval-sheet": ("get", {"number": "{number}"}),
    # Issue 26: an item of the catalogue made from the case's approved release set.
    "catalogue-office:from-case": ("get", {"number": "{number}"}),
}
# Routes whose id is a catalogue item or a guide version, not a case: the public ones show
# published items and approved versions only, the office's the OGI office and the item's
# division (tests/workflows/catalogue/test_pages.py).
CATALOGUE_ROUTES = {
    "catalogue:item",
    "catalogue:file",
    "catalogue:guide-version",
    "catalogue-office:item",
    "catalogue-office:edit",
    "catalogue-office:act",
}
# Routes whose id is a self-check campaign or item (issue 26), not a case: the office's and the
# item's division's only (tests/workflows/test_selfcheck_pages.py, SELFCHECK_ROUTES).
SELFCHECK_ROUTES = {
    "workflows:selfcheck:campaign",
    "workflows:selfcheck:close",
    "workflows:selfcheck:report-pdf",
    "workflows:selfcheck:report-xlsx",
    "workflows:selfcheck:item",
    "workflows:selfcheck:item-act",
}
# One API path per transition the table offers (workflows.api.transitions).
COVERED.update(
    {
        f"api:transition-{spec.name}": ("post", {"number": "{number}"})
        for spec in offered_transitions()
    }
)


def _routes(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield (
                prefix + str(entry.pattern),
                f"{namespace}{entry.name}" if entry.name else None,
                entry,
            )


def _takes_an_id(route: str) -> bool:
    return "<" in route or "(?P<" in route


def test_every_id_taking_route_outside_admin_is_covered():
    uncovered = [
        (route, name)
        for route, name, _ in _routes()
        if _takes_an_id(route)
        and not route.startswith(("admin/", "captcha/"))  # a CAPTCHA key, not a case or letter
        # A key into this session's own bulk results, not an object: another session is sent
        # to the case list (tests/workflows/workbench/test_bulk.py).
        and name != "casework:case-bulk-result"
        and name not in CATALOGUE_ROUTES
        and name not in SELFCHECK_ROUTES
        and name not in COVERED
    ]
    assert uncovered == []


@pytest.fixture
def case_of_division_a(receive_flow, act, divisions, users, settings):
    from letters.services import letter_issue
    from tests.conftest import NOW

    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    case.letter = letter_issue(
        number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.attachments import attachment_add

    case.attachment = attachment_add(
        case=case, kind="applicant_id", uploaded=SimpleUploadedFile("id.pdf", real_pdf())
    )
    # A responsive record with a redaction and a built release set (letters.records).
    from letters.records import services as records
    from letters.records.samples import sample_text_pdf

    settings.RECORDS_RELEASE_TEXT_LAYER = False
    case.record = records.record_add(
        case=case,
        division=divisions["a"],
        uploaded=SimpleUploadedFile("r.pdf", sample_text_pdf(1)),
        actor=users["liaison_a"],
    )
    records.record_process(case.record.pk)
    case.record.refresh_from_db()
    case.redaction = records.redaction_add(
        record=case.record,
        page=1,
        rect=[0.1, 0.1, 0.5, 0.2],
        ground="art15",
        note="",
        actor=users["liaison_a"],
    )
    records.suggestions_accept(record=case.record, actor=users["liaison_a"])
    case.release_set = records.release_set_start(case=case, actor=users["liaison_a"])
    records.release_set_build(case.release_set.pk)
    case.released = case.release_set.files.get()
    # A stored case file (letters.casefile), as built at archiving.
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from letters.models import CaseFile

    casefile = CaseFile(
        case=case, reason="archive", requested_at=timezone.now(), built_at=timezone.now()
    )
    casefile.pdf.save("casefile.pdf", ContentFile(real_pdf()), save=False)
    casefile.status = CaseFile.Status.READY
    casefile.save()
    return case


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(COVERED))
def test_other_division_gets_404_and_anonymous_gets_no_access(
    client, users, case_of_division_a, name
):
    from django.urls import reverse

    method, kwargs = COVERED[name]
    values = {
        "number": case_of_division_a.number,
        "letter": case_of_division_a.letter.pk,
        "attachment": case_of_division_a.attachment.pk,
        "record": case_of_division_a.record.pk,
        "redaction": case_of_division_a.redaction.pk,
        "set": case_of_division_a.release_set.pk,
        "released": case_of_division_a.released.pk,
    }
    url = reverse(name, kwargs={k: v.format(**values) for k, v in kwargs.items()})
    events = Event.objects.count()

    if name.startswith("portal:"):
        for who in (None, "liaison_b", "registrar"):
            if who:
                client.force_login(users[who])
            response = getattr(client, method)(url)
            assert response.status_code == 302
            assert response["Location"] == "/track/"
        case_of_division_a.refresh_from_db()
        assert case_of_division_a.status == "handling"
    elif name.startswith("api:"):
        api = APIClient()
        assert getattr(api, method)(url, {}, format="json").status_code == 401
        api.force_authenticate(users["liaison_b"])
        response = getattr(api, method)(url, {}, format="json")
        assert response.status_code == 404
        assert response.json()["message"] == "案件不存在。"
    else:
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
        client.force_login(users["liaison_b"])
        assert getattr(client, method)(url).status_code == 404
        # the owner division sees it (so the 404 above is about visibility, not a bad URL)
        client.force_login(users["liaison_a"])
        # (a liaison officer sees the case but may not reveal a full ID number: 403)
        # (an empty note is refused on the case page it shows again: 400)
        owner = {
            "casework:id-number-reveal": (403,),
            "casework:casefile-full-id": (403,),
            "casework:case-note-add": (400,),
            # (no decision proposed yet on the fixture's case: nothing to draft, 400)
            "workflows:decision-preview": (400,),
            "workflows:decision-preview-image": (400,),
        }.get(name, (200, 302))
        assert getattr(client, method)(url).status_code in owner
    # only the owner division's own action may have written something
    assert Event.objects.count() - events <= (
        1 if name in ("workflows:quick-action", "workflows:letter-void") else 0
    )


@pytest.mark.django_db
def test_admin_object_routes_refuse_non_staff(client, users, case_of_division_a):
    object_routes = [
        route
        for route, _name, _ in _routes()
        if route.startswith("admin/") and "<path:object_id>" in route
    ]
    assert object_routes, "the admin exposes object routes"
    for who in (None, "liaison_b"):
        if who:
            client.force_login(users[who])
        for model in ("casework/case", "casework/event", "casework/division"):
            response = client.get(f"/admin/{model}/{case_of_division_a.pk}/change/")
            assert response.status_code == 302
            assert "/admin/login/" in response["Location"]
