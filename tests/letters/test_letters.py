"""Letters: every kind renders with its number, addressee, receipt date, legal basis and
remedy clause in the configured CJK fonts; numbering is gap-free; issued letters are frozen;
voiding reissues; bad requests are refused before a number is taken; hostile applicant text
stays text and the renderer fetches nothing."""

import hashlib
import http.server
import subprocess
import threading
from datetime import date

from django.conf import settings

import pytest

from casework.errors import InvalidInput, WrongState
from casework.models import AppendOnlyError, Event
from letters.kinds import KINDS
from letters.models import Letter, LetterNumberCounter
from letters.rendering import html_to_pdf
from letters.services import letter_issue, letter_void
from tests.conftest import NOW, person


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(data: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def approved(receive_flow, act, divisions, users):
    """A case approved (or, for the deemed abandonments, abandoned) with every fact its reply
    states in the ledger (tests.letters.decided)."""

    def _approved(disposition="granted", **fields):
        from tests.letters.decided import decided

        case, _when = decided(receive_flow, act, divisions, users, disposition, **fields)
        return case

    return _approved


def _clean(text: str) -> str:
    return "".join(text.split())


@pytest.mark.django_db
def test_reply_letter_contents_and_fonts(approved, act, tmp_path):
    case = approved("granted", files="安置计划1份")
    act(case, "issue_reply", "registrar")
    letter = Letter.objects.get(case=case)
    data = letter.pdf.read()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    text = _clean(pdf_text(data, tmp_path))
    for expected in [
        letter.number,
        "政府信息公开申请答复书",
        "张三：",
        "2026年3月2日",
        "第三十六条第（二）项",
        "60日内向济南市人民政府申请行政复议",
        "6个月内",
        letter.verification_code,
        "2026年3月16日",
    ]:
        assert _clean(expected) in text, expected
    fonts = pdf_fonts(data, tmp_path)
    assert "FandolFang" in fonts  # the body: 仿宋
    assert "NotoSerifCJKSC" in fonts.replace("-", "")  # the title and page numbers
    assert "DejaVu" not in fonts
    assert "Liberation" not in fonts
    case.refresh_from_db()
    assert case.status == "replied"
    event = Event.objects.filter(case=case, kind="issue_reply").get()
    assert event.payload["letter"] == letter.number
    assert event.payload["sha256"] == letter.sha256


@pytest.mark.django_db
@pytest.mark.parametrize(
    "disposition", [k.removeprefix("reply.") for k in KINDS if k.startswith("reply.")]
)
def test_every_reply_kind_renders_its_basis(
    receive_flow, act, divisions, users, tmp_path, disposition
):
    from letters.kinds import DEFAULT_BASIS
    from tests.letters.decided import decided

    case, when = decided(
        receive_flow, act, divisions, users, disposition, basis=DEFAULT_BASIS[disposition]
    )
    letter_issue(
        number=case.number, kind=f"reply.{disposition}", actor=users["registrar"], now=when
    )
    text = _clean(pdf_text(Letter.objects.get(case=case).pdf.read(), tmp_path))
    assert _clean(DEFAULT_BASIS[disposition]) in text
    assert "2026年3月2日收到" in text
    first = disposition == "partial" or (
        disposition.startswith("refused.") and disposition != "refused.administrative_inquiry"
    )
    # Administrative Reconsideration Law Art 23(1)(4), 法释〔2025〕8号 Art 1: reconsideration
    # first for refusals under Arts 14–16 and the withheld part of a partial disclosure; Art
    # 36(7) only directs the applicant to the special procedure and decides nothing of the kind.
    assert ("应当先自收到本答复书之日起60日内向济南市人民政府申请行政复议" in text) == first
    if not first or disposition == "partial":
        # (the page's verification footer may fall between the two halves of the sentence)
        assert "或者自收到本答复书之日起6个月内" in text
        assert "依法向济南铁路运输法院提起行政诉讼" in text
    assert text.count("特此告知") == 1
    if disposition == "refused.administrative_inquiry":
        assert "不予公开" not in text
        assert "依照有关法律、行政法规的规定办理" in text
    if disposition == "granted.already_published":
        assert "已经主动公开" in text
        assert "政府信息公开”栏目" in text
    if disposition == "unable.not_this_organ":
        assert "济南市人力资源和社会保障局" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind",
    [
        "acknowledgement",
        "correction",
        "extension",
        "consultation_third_party",
        "consultation_organ",
        "consultation_notice",
        "fee_notice",
    ],
)
def test_every_notice_kind_renders(receive_flow, act, divisions, users, tmp_path, kind):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    if kind == "correction":
        act(
            case,
            "request_correction",
            "registrar",
            on=date(2026, 3, 3),
            items="请写明文件名称",
            deadline_on="2026-03-13",
        )
    else:
        act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
        act(case, "claim", "liaison_a", on=date(2026, 3, 3))
        if kind == "extension":
            act(case, "extend", "head", on=date(2026, 3, 4), days=10, reason="需调取档案")
        if kind.startswith("consultation"):
            party = "other_organ" if kind == "consultation_organ" else "third_party"
            act(
                case,
                "open_consultation",
                "liaison_a",
                on=date(2026, 3, 4),
                party=party,
                party_name="济南某某公司",
                matter="合同报价",
            )
        if kind == "fee_notice":
            act(
                case,
                "notify_fee",
                "liaison_a",
                on=date(2026, 3, 4),
                method="per_page",
                quantity=150,
            )
    from letters.models import LetterSettings

    LetterSettings.objects.create(
        organ=case.organ,
        contact_person="王登记",
        fee_how="银行转账",
        fee_payee="济南市非税收入财政专户",
        fee_bank="工商银行济南分行",
        fee_account="1602000000000000000",
        correction_series="济退役军人依补",
        extension_series="济退役军人依延",
        consultation_series="济退役军人依征",
        fee_series="济退役军人依费",
    )
    letter = letter_issue(number=case.number, kind=kind, actor=users["registrar"], now=NOW)
    text = _clean(pdf_text(letter.pdf.read(), tmp_path))
    assert _clean(letter.number) in text
    series = {  # each kind of notice has its own series (issue 21 point 8)
        "acknowledgement": "济退役军人依回",  # not set: the default word after the short name
        "correction": "济退役军人依补",
        "extension": "济退役军人依延",
        "consultation_third_party": "济退役军人依征",
        "consultation_organ": "济退役军人依征",
        "consultation_notice": "济退役军人依征",
        "fee_notice": "济退役军人依费",
    }[kind]
    assert letter.number.startswith(f"{series}〔2026〕")
    assert _clean(KINDS[kind].title) in text
    assert "（联系人：王登记，联系电话：0531-12345678）" in text  # 附注 on every notice
    if kind.startswith("consultation_") and kind != "consultation_notice":
        assert text.endswith("请予函复。", 0, text.index("济南市退役军人事务局2026年3月16日"))
        assert "特此告知" not in text
    if kind == "fee_notice":
        for part in [
            "银行转账",
            "1602000000000000000",
            "第31至100页70页每页10元计700元",
            "不计算在答复期限内",
        ]:
            assert part in text
    expected = {
        "acknowledgement": "2026年3月30日",
        "correction": "2026年3月13日前",
        "extension": "延长10个工作日",
        "consultation_third_party": "15个工作日内",
        "consultation_organ": "视为同意公开",
        "consultation_notice": "不计算在答复期限内",
        "fee_notice": "1700.00元",
    }[kind]
    assert _clean(expected) in text
    addressee = (
        "济南某某公司：" if kind in ("consultation_third_party", "consultation_organ") else "张三："
    )
    assert addressee in text
    assert (
        Event.objects.filter(case=case, kind="issue_letter", payload__letter=letter.number).count()
        == 1
    )


@pytest.mark.django_db
def test_numbers_are_gap_free_when_an_issue_fails_half_way(approved, act, users, monkeypatch):
    case = approved("granted")
    first = letter_issue(
        number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )

    def broken(html):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("letters.services.html_to_pdf", broken)
    with pytest.raises(RuntimeError):
        letter_issue(number=case.number, kind="reply.granted", actor=users["registrar"], now=NOW)
    monkeypatch.undo()
    second = letter_issue(
        number=case.number, kind="reply.granted", actor=users["registrar"], now=NOW
    )
    assert first.number == "济退役军人依回〔2026〕1号"  # its own series (issue 21)
    assert second.number == "济退役军人依复〔2026〕1号"  # the failed issue spent no number
    assert LetterNumberCounter.objects.get(series="济退役军人依复").last == 1
    assert Event.objects.filter(case=case, kind="issue_letter").count() == 1
    assert Event.objects.filter(case=case, kind="issue_reply").count() == 1


@pytest.mark.django_db
def test_issued_letter_is_frozen_and_voiding_reissues(approved, act, users):
    case = approved("granted")
    act(case, "issue_reply", "registrar")
    letter = Letter.objects.get(case=case)
    letter.html = "forged"
    with pytest.raises(AppendOnlyError):
        letter.save()
    with pytest.raises(AppendOnlyError):
        letter.delete()
    with pytest.raises(Exception):  # noqa: B017 - registrar may not void
        letter_void(letter_id=letter.pk, actor=users["registrar"], reason="写错了")
    new = letter_void(letter_id=letter.pk, actor=users["reviewer"], reason="答复日期有误", now=NOW)
    assert new.replaces == letter
    assert new.number != letter.number
    assert Letter.objects.get(pk=letter.pk).is_void
    kinds = list(Event.objects.filter(case=case).order_by("seq").values_list("kind", flat=True))[
        -3:
    ]
    assert kinds == ["issue_reply", "void_letter", "issue_letter"]
    with pytest.raises(WrongState):
        letter_void(letter_id=letter.pk, actor=users["reviewer"], reason="再次作废")


@pytest.mark.django_db
def test_kind_that_does_not_fit_and_missing_organ_settings_are_refused_before_numbering(
    receive_flow, act, users, organ
):
    case = receive_flow(channel="online")
    with pytest.raises(WrongState) as excinfo:
        letter_issue(number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW)
    assert "收到申请" in excinfo.value.message or "确认" in excinfo.value.message
    with pytest.raises(WrongState):
        letter_issue(number=case.number, kind="reply.granted", actor=users["registrar"], now=NOW)
    with pytest.raises(InvalidInput):
        letter_issue(number=case.number, kind="no-such-kind", actor=users["registrar"], now=NOW)
    in_person = receive_flow()
    with pytest.raises(WrongState) as excinfo:  # "您的申请已登记" only once it is (Art 45)
        letter_issue(
            number=in_person.number, kind="acknowledgement", actor=users["registrar"], now=NOW
        )
    assert "尚未登记" in excinfo.value.message
    act(in_person, "register", "registrar")
    organ.reconsideration_organ = ""
    organ.save()
    with pytest.raises(InvalidInput) as excinfo:
        letter_issue(
            number=in_person.number, kind="acknowledgement", actor=users["registrar"], now=NOW
        )
    assert "行政复议机关" in excinfo.value.message
    assert not LetterNumberCounter.objects.exists()
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_download_is_attachment_no_store_and_access_checked(client, users, approved, act):
    case = approved("granted")
    act(case, "issue_reply", "registrar")
    letter = Letter.objects.get(case=case)
    client.force_login(users["liaison_a"])
    response = client.get(f"/letters/{letter.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(users["liaison_b"])
    assert client.get(f"/letters/{letter.pk}/pdf/").status_code == 404
    assert str(settings.MEDIA_ROOT) in letter.pdf.path
    assert letter.number not in letter.pdf.name  # random names, never guessable


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        _CountingHandler.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body{color:red}")

    def log_message(self, *args):
        pass


@pytest.mark.django_db
def test_hostile_application_text_stays_text_and_nothing_is_fetched(
    receive_flow, act, users, tmp_path
):
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    hostile = (
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
        f'<link rel="attachment" href="file://{secret}"><img src="http://127.0.0.1:{port}/i.png">'
        f"<style>@import url(http://127.0.0.1:{port}/y.css);</style>"
    )
    _CountingHandler.hits.clear()
    case = receive_flow(applicant=person(name="张三<script>"), arrived=date(2026, 3, 2))
    from casework.models import Case

    Case.objects.filter(pk=case.pk).update(subject=hostile[:300])
    act(case, "register", "registrar", on=date(2026, 3, 2))
    letter = letter_issue(
        number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    data = letter.pdf.read()
    text = _clean(pdf_text(data, tmp_path))
    assert "<linkrel=" in text  # printed literally
    assert "张三<script>" in text
    assert b"TOP-SECRET-CONTENT" not in data
    assert b"/EmbeddedFile" not in data
    # The renderer itself refuses loopback and local files even in unescaped HTML.
    raw = html_to_pdf(f"<html><body>{hostile}<p>x</p></body></html>")
    assert b"TOP-SECRET-CONTENT" not in raw
    assert b"/EmbeddedFile" not in raw
    server.shutdown()
    assert _CountingHandler.hits == []
