"""The dependency sets and the licence (ADR 0008): production installs the runtime set only,
every pin carries a hash, and the licence is stated alike in LICENSE, pyproject and README."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"
TEST_ONLY = {
    "pytest",
    "pytest-django",
    "playwright",
    "axe-playwright-python",
    "pdfplumber",
    "hypothesis",
    "time-machine",
    "ruff",
    "mypy",
    "django-stubs",
    "locust",
    "factory-boy",
    "faker",
    "pytest-benchmark",
}


def pins(lock: Path) -> dict[str, list[str]]:
    """Package name -> its hashes, from a pip-tools lock file."""
    result: dict[str, list[str]] = {}
    name = None
    for line in lock.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==\S+", line)
        if match:
            name = match.group(1).lower().replace("_", "-")
            result[name] = []
        elif name and line.strip().startswith("--hash=sha256:"):
            result[name].append(line.strip())
    return result


def test_runtime_set_holds_no_test_or_load_test_package():
    runtime = pins(REQUIREMENTS / "runtime.txt")
    assert "django" in runtime
    assert "django-viewflow" in runtime
    assert not TEST_ONLY & set(runtime)


@pytest.mark.parametrize("name", ["runtime", "dev", "loadtest"])
def test_every_pin_has_a_hash(name):
    locked = pins(REQUIREMENTS / f"{name}.txt")
    assert locked
    assert [package for package, hashes in locked.items() if not hashes] == []


def test_the_other_sets_keep_the_runtime_pins():
    runtime_text = {
        line.split(" ")[0]
        for line in (REQUIREMENTS / "runtime.txt").read_text().splitlines()
        if "==" in line
    }
    for name in ("dev", "loadtest"):
        text = (REQUIREMENTS / f"{name}.txt").read_text()
        assert all(pin in text for pin in runtime_text), name
    assert "pytest==" in (REQUIREMENTS / "dev.txt").read_text()
    assert "locust==" in (REQUIREMENTS / "loadtest.txt").read_text()
    assert "locust==" not in (REQUIREMENTS / "dev.txt").read_text()


def test_licence_is_stated_alike_everywhere():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "AGPL-3.0-or-later"
    assert (ROOT / "LICENSE").read_text().lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    readme = (ROOT / "README.md").read_text()
    assert "AGPL-3.0-or-later" in readme
    assert "SOURCE_CODE_URL" in readme


@pytest.mark.django_db
def test_every_page_links_the_source_when_configured(client, settings):
    settings.SOURCE_CODE_URL = "https://example.org/casework.git"
    page = client.get("/guide/").content.decode()
    assert 'href="https://example.org/casework.git"' in page
    assert "本系统源代码（GNU AGPL v3 许可）" in page
    settings.SOURCE_CODE_URL = ""
    assert "本系统源代码" not in client.get("/guide/").content.decode()
