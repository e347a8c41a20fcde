"""Issue 22, finding 2: converting an uploaded ODT made the worker fetch pictures from an
address of the sender's choosing and embed them, embed a picture read from the worker's own
disk, and gave soffice the whole environment (database password, SECRET_KEY, SMTP
password). Each attack here must now fail: no request reaches the listener, no picture from
outside the upload is embedded, soffice sees only PATH, HOME and LANG, a run past its time
limit is killed with its children, and no conversion runs when the network cannot be cut."""

import io
import os
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from letters.records import pdf, sandbox
from letters.records.office_links import leaves_package, strip_outside_references

MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2"'
    ' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _frame(href: str, name: str) -> str:
    return (
        f'<draw:frame draw:name="{name}" text:anchor-type="as-char" svg:width="4cm"'
        ' svg:height="4cm">'
        f'<draw:image xlink:href="{href}" xlink:type="simple" xlink:show="embed"'
        ' xlink:actuate="onLoad"/></draw:frame>'
    )


def _odt(body: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
        ' xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2">'
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        z.writestr("META-INF/manifest.xml", MANIFEST)
        z.writestr("content.xml", content)
    return buffer.getvalue()


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []
    picture = b""

    def do_GET(self):
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.picture)))
        self.end_headers()
        self.wfile.write(self.picture)

    def log_message(self, *args):
        pass


def _png(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def listener():
    """A local HTTP server on 127.0.0.1 that counts the requests it gets (and answers each
    with a picture, as the tester's server did)."""
    _Counter.hits = []
    _Counter.picture = _png((255, 0, 0))
    server = HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _image_xobjects(data: bytes) -> int:
    count = 0
    with pikepdf.open(io.BytesIO(data)) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image:
                count += 1
    return count


def test_an_odt_linking_to_a_listener_and_a_local_file_embeds_and_fetches_nothing(
    listener, tmp_path
):
    secret = tmp_path / "worker-disk.png"  # a file outside the upload, on the worker's disk
    secret.write_bytes(_png((0, 0, 255)))
    port = listener.server_address[1]
    body = (
        "<text:p>外部图片测试</text:p><text:p>"
        + _frame(f"http://127.0.0.1:{port}/beacon.png", "web")
        + _frame(f"file://{secret}", "disk")
        + _frame(str(secret), "bare")
        + "</text:p>"
    )
    data = _odt(body)
    result = pdf.office_to_pdf(data, "附件.odt")
    time.sleep(0.5)  # a late fetch would still be counted
    assert _Counter.hits == []
    assert _image_xobjects(result) == 0
    with pdf.open_pdf(result) as doc:
        assert "外部图片测试" in pdf.page_text(doc, 0).text  # the document itself converts


def test_the_same_odt_converted_the_old_way_fetches_and_embeds(listener, tmp_path):
    """The finding, reproduced: soffice run as before issue 22 (the worker's environment, the
    network, the package as uploaded) fetches from the listener and embeds both pictures.
    So the zeros above are the seal's doing, not a listener that never counts."""
    import subprocess

    secret = tmp_path / "worker-disk.png"
    secret.write_bytes(_png((0, 0, 255)))
    port = listener.server_address[1]
    body = (
        "<text:p>"
        + _frame(f"http://127.0.0.1:{port}/beacon.png", "web")
        + _frame(f"file://{secret}", "disk")
        + "</text:p>"
    )
    source = tmp_path / "record.odt"
    source.write_bytes(_odt(body))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path)},
        timeout=120,
        check=True,
    )
    assert _Counter.hits == ["/beacon.png"]
    assert _image_xobjects((tmp_path / "record.pdf").read_bytes()) == 2


def _open_soffice(source, target: str, tmp_path) -> bytes:
    """soffice run as before issue 22: the worker's environment, the network, the package as
    it is."""
    import subprocess

    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path)},
        timeout=120,
        check=True,
    )
    return (tmp_path / f"{source.stem}.{target}").read_bytes()


@pytest.mark.parametrize("suffix", ["docx", "doc"])
def test_word_files_with_linked_pictures_fetch_and_embed_nothing(listener, tmp_path, suffix):
    """The same links saved by LibreOffice as Word (an external relationship in .docx, a
    field in the binary .doc, which is cleaned after a sealed save as OpenDocument)."""
    secret = tmp_path / "worker-disk.png"
    secret.write_bytes(_png((0, 0, 255)))
    port = listener.server_address[1]
    linked = tmp_path / "linked.odt"
    linked.write_bytes(
        _odt(
            "<text:p>Word</text:p><text:p>"
            + _frame(f"http://127.0.0.1:{port}/beacon.png", "web")
            + _frame(f"file://{secret}", "disk")
            + "</text:p>"
        )
    )
    word = _open_soffice(linked, suffix, tmp_path)
    source = tmp_path / f"again.{suffix}"
    source.write_bytes(word)
    _Counter.hits.clear()
    assert _image_xobjects(_open_soffice(source, "pdf", tmp_path)) == 2  # the links survive
    assert _Counter.hits  # and the open conversion fetched again
    _Counter.hits.clear()
    result = pdf.office_to_pdf(word, f"附件.{suffix}")
    time.sleep(0.5)
    assert _Counter.hits == []
    assert _image_xobjects(result) == 0


def test_the_sandbox_has_no_network_and_none_of_the_workers_secrets(
    listener, monkeypatch, tmp_path
):
    monkeypatch.setenv("DATABASE_URL", "postgres://app:db-password@db/app")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "the-secret-key")
    monkeypatch.setenv("EMAIL_HOST_PASSWORD", "smtp-password")
    port = listener.server_address[1]
    script = (
        "import os, socket, json\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=3); net = 'open'\n"
        "except OSError as e:\n"
        "    net = 'cut'\n"
        "print(json.dumps({'net': net, 'env': dict(os.environ)}))\n"
    )
    result = sandbox.run_sealed(["python3", "-c", script], home=str(tmp_path), timeout=30)
    import json

    seen = json.loads(result.stdout)
    assert seen["net"] == "cut"
    assert set(seen["env"]) <= {"PATH", "HOME", "LANG", "PWD", "SHLVL", "_", "LC_CTYPE"}
    assert seen["env"]["HOME"] == str(tmp_path)
    text = result.stdout.decode()
    for secret in ("db-password", "the-secret-key", "smtp-password"):
        assert secret not in text
    assert _Counter.hits == []


def test_a_run_past_its_time_limit_is_killed_with_its_children(tmp_path):
    marker = tmp_path / "child.pid"
    script = f"sleep 60 & echo $! > {marker}; wait"
    started = time.monotonic()
    with pytest.raises(sandbox.SandboxTimeout):
        sandbox.run_sealed(["sh", "-c", script], home=str(tmp_path), timeout=2)
    assert time.monotonic() - started < 20
    child = int(marker.read_text())
    time.sleep(0.3)
    # The background child is gone too (or a zombie reaped by init), not sleeping on.
    try:
        state = Path(f"/proc/{child}/stat").read_text().split()[2]
    except FileNotFoundError:
        state = "gone"
    assert state in ("gone", "Z", "X")


def test_no_conversion_runs_when_the_network_cannot_be_cut(monkeypatch):
    """Fail closed: without a working unshare the document is refused, never converted in
    the open."""
    monkeypatch.setattr(sandbox, "SAFE_PATH", "/nonexistent")
    with pytest.raises(pdf.RecordError) as refused:
        pdf.office_to_pdf(_odt("<text:p>x</text:p>"), "a.odt")
    assert "sandbox" in str(refused.value.message) or "沙箱" in str(refused.value.message)


@pytest.mark.skipif(os.geteuid() != 0, reason="the worker runs as root here and in CI")
def test_a_non_root_worker_gets_its_network_cut_through_a_user_namespace(tmp_path):
    """Production may run the worker as an ordinary user: `unshare -rn` must work then."""
    import subprocess

    result = subprocess.run(
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "unshare",
            "--map-root-user",
            "--net",
            "--",
            "cat",
            "/proc/net/dev",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    interfaces = [line.split(":")[0].strip() for line in result.stdout.splitlines()[2:]]
    assert interfaces == ["lo"]


def test_outside_references_are_stripped_from_odf_and_ooxml():
    odt = _odt(
        _frame("http://x.test/a.png", "a")
        + _frame("Pictures/inside.png", "b")
        + _frame("../../etc/x.png", "c")
        + _frame("C:\\\\x.png", "d")
    )
    clean, removed = strip_outside_references(odt)
    assert removed == 3
    with zipfile.ZipFile(io.BytesIO(clean)) as z:
        content = z.read("content.xml").decode()
        assert z.namelist()[0] == "mimetype"
    assert "x.test" not in content
    assert "etc/x.png" not in content
    assert "Pictures/inside.png" in content
    assert leaves_package("file:///etc/passwd")
    assert leaves_package("%2E%2E/secret")
    assert leaves_package("\\\\\\\\host\\\\share")
    assert not leaves_package("./Object 1")
    assert not leaves_package("#bookmark")


def _docx_part(body: str) -> bytes:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/image" Target="file:///etc/shadow" TargetMode="External"/>'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", xml)
        z.writestr("word/_rels/document.xml.rels", rels)
    return buffer.getvalue()


def test_word_include_fields_split_over_runs_and_external_relationships_are_removed():
    split = (
        "<w:p><w:r><w:instrText>INCLUDEPIC</w:instrText></w:r>"
        '<w:r><w:instrText>TURE "fi</w:instrText></w:r>'
        '<w:r><w:instrText>le:///tmp/secret.png" \\d</w:instrText></w:r></w:p>'
        "<w:p><w:r><w:instrText> PAGE </w:instrText></w:r></w:p>"
    )
    clean, removed = strip_outside_references(_docx_part(split))
    with zipfile.ZipFile(io.BytesIO(clean)) as z:
        document = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "INCLUDEPIC" not in document
    assert "secret.png" not in document
    assert " PAGE " in document  # a harmless field stays
    assert "/etc/shadow" not in rels
    assert 'TargetMode="External"' not in rels
    assert 'Target="styles.xml"' in rels
    assert removed == 4  # three instruction runs and one relationship


def test_a_spreadsheet_formula_reading_another_file_is_dropped_its_value_kept():
    cell = (
        '<table:table xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"><table:table-row>'
        "<table:table-cell table:formula=\"of:=['file:///etc/passwd'#$Sheet1.A1]\" "
        'office:value-type="string"><text:p>old</text:p></table:table-cell>'
        '<table:table-cell table:formula="of:=1+1"><text:p>2</text:p></table:table-cell>'
        "</table:table-row></table:table>"
    )
    clean, removed = strip_outside_references(_odt(cell))
    with zipfile.ZipFile(io.BytesIO(clean)) as z:
        content = z.read("content.xml").decode()
    assert "/etc/passwd" not in content
    assert "of:=1+1" in content
    assert ">old<" in content
    assert removed == 1
