"""Web hardening (issue 16): security headers on every page, and input that can never be
valid (NUL bytes, oversize bodies, broken JSON) answered with 400 and a Chinese message."""

import json
import re

import pytest


@pytest.mark.django_db
def test_staff_page_has_csp_without_inline_script_and_no_store(client, users):
    client.force_login(users["registrar"])
    response = client.get("/work/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    nonce = re.search(r"'nonce-([^']+)'", directives["style-src"])
    assert nonce is not None
    page = response.content.decode()
    # Every <style> carries this response's nonce; no style attribute, no inline script.
    assert page.count("<style") == page.count(f'<style nonce="{nonce.group(1)}">') >= 1
    assert " style=" not in page
    assert "<script" not in page
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.django_db
def test_tracking_page_is_no_store_and_the_guide_is_not(client, organ):
    assert client.get("/track/").headers["Cache-Control"] == "no-store"
    guide = client.get("/")
    assert "no-store" not in guide.headers.get("Cache-Control", "")
    assert "Content-Security-Policy" in guide.headers


@pytest.mark.django_db
def test_login_page_has_no_style_attribute(client):
    page = client.get("/login/").content.decode()
    assert " style=" not in page


@pytest.mark.django_db
def test_nul_byte_in_a_query_answers_400_in_chinese(client, users):
    client.force_login(users["registrar"])
    response = client.get("/cases/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


@pytest.mark.django_db
def test_nul_byte_in_a_posted_field_answers_400(client, users, receive_flow):
    case = receive_flow()
    client.force_login(users["registrar"])
    response = client.post(f"/work/cases/{case.number}/act/register/", {"note": "x\x00"})
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


@pytest.mark.django_db
def test_nul_in_json_answers_400_in_the_api_shape(client, users, receive_flow):
    case = receive_flow()
    client.force_login(users["registrar"])
    body = json.dumps({"note": "a\u0000b"})
    response = client.post(
        f"/api/v1/cases/{case.number}/transitions/register/",
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "空字符" in response.json()["message"]


@pytest.mark.django_db
def test_oversize_and_broken_json_answer_400_in_chinese(client, users):
    client.force_login(users["registrar"])
    big = json.dumps({"subject": "字" * (2 * 1024 * 1024)})
    response = client.post("/api/v1/cases/", big, content_type="application/json")
    assert response.status_code == 400
    assert "过大" in response.json()["message"]
    broken = client.post("/api/v1/cases/", "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert "JSON" in broken.json()["message"]
    assert "格式" in broken.json()["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/work/cases/{n}/act/no_such_step/", {}),
        ("post", "/api/v1/cases/{n}/transitions/no_such_step/", {}),
        ("post", "/work/cases/{n}/quick/no_such_step/", {}),
        ("get", "/cases/", {"page": "abc", "status": "no_such_status"}),
        ("get", "/work/", {"tab": "no_such_tab", "page": "-1"}),
        ("get", "/supervision/", {"from": "0000-00-00", "to": "-1"}),
        ("get", "/supervision/report/", {"year": "-1", "format": "pdf"}),
        ("get", "/api/v1/cases/", {"status": "x\u00ff", "page": "0", "page_size": "100000"}),
        ("get", "/api/v1/tasks/", {"page": "abc"}),
        ("get", "/verify/", {"code": "x" * 5000}),
    ],
)
def test_hostile_input_never_answers_a_server_error(
    client, users, receive_flow, method, path, data
):
    case = receive_flow()
    client.force_login(users["supervisor"])
    response = getattr(client, method)(path.format(n=case.number), data)
    assert response.status_code < 500


@pytest.mark.django_db
def test_api_answers_are_no_store_for_token_clients(client, users):
    from workflows.api.tokens import ApiToken

    _token, secret = ApiToken.issue(user=users["registrar"], name="测试", scope="read")
    response = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_no_page_template_has_style_attributes_or_inline_script():
    """CSP blocks them; only the letters' print templates (rendered to PDF, and the draft
    preview, which alone allows inline styles) may use them."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if path.parts[-2] != "letters"
        and path.name not in ("annual_report_print.html", "casefile.html")
        and re.search(r"\sstyle=|<script(?![^>]*\bsrc=)|\son[a-z]+=", path.read_text())
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_500_pages_style_block_is_allowed_by_its_hash(client):
    import base64
    import hashlib
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "templates" / "500.html").read_text()
    css = re.search(r"<style>(.*?)</style>", page, flags=re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in client.get("/login/").headers["Content-Security-Policy"]
