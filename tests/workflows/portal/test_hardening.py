"""Issue 16 on the public pages: /apply/ has a per-client limit and a self-hosted CAPTCHA
after the first few submissions; tracking failures never lock out the applicant; uploads
are checked by content and their size is enforced while the body streams in."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

import pikepdf
import pytest
from PIL import Image

from casework.middleware import InputGuardMiddleware
from casework.models import Attachment, Case
from tests.conftest import real_pdf
from tests.workflows.portal.test_portal import _form, _png


def _post(client, ip="10.1.1.1", **overrides):
    return client.post("/apply/", _form(**overrides), REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_captcha_after_the_first_submissions_and_a_cap_per_client(client, organ, settings):
    settings.APPLY_FREE_SUBMISSIONS = 2
    settings.APPLY_MAX_PER_HOUR = 5
    assert _post(client, submission_token="t1").status_code == 302
    assert _post(client, submission_token="t2").status_code == 302
    # The third: the form now asks for the picture's characters and refuses without them.
    page = client.get("/apply/", REMOTE_ADDR="10.1.1.1").content.decode()
    assert 'src="/captcha/image/' in page
    third = _post(client, submission_token="t3")
    assert third.status_code == 400
    assert Case.objects.count() == 2
    # Answered from the self-hosted store (django-simple-captcha), it goes through.
    from captcha.models import CaptchaStore

    key = CaptchaStore.generate_key()
    answer = CaptchaStore.objects.get(hashkey=key).response
    wrong = _post(client, submission_token="t3", captcha_0=key, captcha_1="zzzzz")
    assert wrong.status_code == 400
    assert "认证码错误" in wrong.content.decode()
    key = CaptchaStore.generate_key()  # a key is used up by an answer, right or wrong
    answer = CaptchaStore.objects.get(hashkey=key).response
    image = client.get(f"/captcha/image/{key}/")
    assert image.status_code == 200
    assert Image.open(io.BytesIO(image.content)).format == "PNG"
    fourth = _post(client, submission_token="t4", captcha_0=key, captcha_1=answer)
    assert fourth.status_code == 302
    assert Case.objects.count() == 3
    # Past the cap: 429, nothing recorded; another client is not affected.
    capped = _post(client, submission_token="t5", captcha_0=key, captcha_1=answer)
    assert capped.status_code == 429
    assert "申请过多" in capped.content.decode()
    assert Case.objects.count() == 3
    assert _post(client, ip="10.2.2.2", submission_token="t6").status_code == 302


@pytest.mark.django_db
def test_wrong_codes_from_others_never_lock_out_the_applicant(client, organ, settings):
    response = _post(client, ip="10.9.9.9")
    page = client.get(response["Location"]).content.decode()
    code = page.split('查询码：<span class="code">')[1].split("<")[0]
    number = Case.objects.get().number
    client.logout()
    client.cookies.clear()
    for _ in range(settings.PORTAL_MAX_FAILURES * 3):
        client.post("/track/", {"number": number, "code": "BBBB-BBBB"}, REMOTE_ADDR="6.6.6.6")
    attacker = client.post("/track/", {"number": number, "code": code}, REMOTE_ADDR="6.6.6.6")
    assert attacker.status_code == 429
    applicant = client.post("/track/", {"number": number, "code": code}, REMOTE_ADDR="10.9.9.9")
    assert applicant.status_code == 302


@pytest.mark.django_db
def test_behind_the_proxy_each_applicant_has_its_own_bucket(client, organ, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    for _ in range(settings.PORTAL_MAX_FAILURES):
        client.post(
            "/track/",
            {"number": "2026-0001", "code": "BBBB-BBBB"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP="198.51.100.1",
        )
    other = client.post(
        "/track/",
        {"number": "2026-0001", "code": "BBBB-BBBB"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="198.51.100.2",
    )
    assert other.status_code == 400  # a wrong code, not a pause
    same = client.post(
        "/track/",
        {"number": "2026-0001", "code": "BBBB-BBBB"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="198.51.100.1",
    )
    assert same.status_code == 429


def _js_action(pdf):
    return pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )


def _pdf_with(kind: str) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if kind == "javascript":
        pdf.Root.OpenAction = _js_action(pdf)
    elif kind == "launch":
        pdf.Root.OpenAction = pdf.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
        )
    elif kind == "embedded":
        pdf.attachments["x.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ payload")
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (_pdf_with("javascript"), "id.pdf", "脚本"),
        (_pdf_with("launch"), "id.pdf", "脚本"),
        (_pdf_with("embedded"), "id.pdf", "嵌入文件"),
        (b"%PDF-1.4\n<html><script>alert(1)</script></html>", "id.pdf", "网页代码"),
        (_png() + b"<html><script>alert(1)</script>", "id.png", "网页代码"),
        (b"%PDF-1.4 not really a pdf", "id.pdf", "不是可以读取的 PDF"),
    ],
)
def test_dangerous_uploads_are_refused(client, organ, data, name, fragment):
    kind = "application/pdf" if name.endswith(".pdf") else "image/png"
    response = _post(client, id_proof=SimpleUploadedFile(name, data, content_type=kind))
    assert response.status_code == 400
    assert fragment in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_plain_pdf_is_kept_and_images_are_re_encoded(client, organ):
    assert _post(client, id_proof=SimpleUploadedFile("id.pdf", real_pdf())).status_code == 302
    buffer = io.BytesIO()
    Image.new("RGB", (50, 40), (200, 10, 10)).save(buffer, format="JPEG")
    trailing = buffer.getvalue() + b"PK\x03\x04 hidden zip after the picture"
    jpeg = SimpleUploadedFile("id.jpg", trailing, content_type="image/jpeg")
    assert _post(client, ip="10.3.3.3", submission_token="x2", id_proof=jpeg).status_code == 302
    stored = Attachment.objects.get(content_type="image/jpeg")
    content = stored.file.read()
    assert b"hidden zip" not in content
    assert Image.open(io.BytesIO(content)).size == (50, 40)
    assert stored.size == len(content)


class _Body(io.RawIOBase):
    """A request body that is never held in memory: a multipart header, then `size` bytes,
    counting what the server actually reads."""

    def __init__(self, boundary: str, size: int) -> None:
        self.head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="id_proof"; '
            f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n'
        ).encode()
        self.size = size
        self.sent = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = len(buffer)
        if self.sent < len(self.head):
            chunk = self.head[self.sent : self.sent + n]
        else:
            chunk = b"0" * min(n, self.size - self.sent)
        buffer[: len(chunk)] = chunk
        self.sent += len(chunk)
        return len(chunk)


def _streamed(size: int, declared: int):
    boundary = "XyZ"
    body = _Body(boundary, size)
    request = RequestFactory().generic(
        "POST", "/apply/", b"-", content_type=f"multipart/form-data; boundary={boundary}"
    )
    request.META["CONTENT_LENGTH"] = str(declared)
    request.META["wsgi.input"] = io.BufferedReader(body)
    from django.core.handlers.wsgi import LimitedStream

    request._stream = LimitedStream(request.META["wsgi.input"], declared)
    guard = InputGuardMiddleware(lambda r: HttpResponse("view reached"))
    return guard(request), body


@pytest.mark.django_db
def test_a_300_mb_upload_is_refused_without_reading_it(settings):
    size = 300 * 1024 * 1024
    response, body = _streamed(size, size)
    assert response.status_code == 400
    assert "过大" in response.content.decode()
    assert body.sent == 0


@pytest.mark.django_db
def test_an_oversize_file_stops_the_reading_at_the_limit(settings):
    size = 40 * 1024 * 1024  # within the request's total, past one file's limit
    response, body = _streamed(size, size)
    assert response.status_code == 400
    assert "big.pdf" in response.content.decode()
    assert body.sent < settings.ATTACHMENT_MAX_BYTES + 1024 * 1024
