"""tests/load/summary.py: the figures and the verdicts against issue 15's targets, from a
locust CSV written here."""

import csv
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ["Type", "Name", "Request Count", "Failure Count", "Requests/s", "50%", "95%"]


def _summary(
    tmp_path: Path, users: str, rows: list[tuple[str, str, int, int, float, int, int]]
) -> str:
    path = tmp_path / "stats.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(FIELDS)
        writer.writerows(rows)
    return subprocess.run(
        [sys.executable, str(HERE / "summary.py"), str(path), users],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_tracking_pages_together_against_the_32_user_target(tmp_path):
    rows = [
        ("GET", "/track/ [form]", 8000, 0, 140.0, 60, 100),
        ("POST", "/track/ [lookup]", 3000, 0, 55.0, 70, 110),
        ("GET", "/track/<number>/", 3000, 0, 55.0, 70, 120),
        ("GET", "/work/ [my tasks]", 100, 0, 1.8, 110, 200),
        ("", "Aggregated", 14100, 0, 251.8, 65, 120),
    ]
    out = _summary(tmp_path, "32", rows)
    assert "/track/ together: 250.0 req/s, p95 at most 120 ms" in out
    assert "p95 <= 150 ms: met" in out
    assert "errors: 0 (target none: met)" in out
    slow = [(t, n, c, f, rps / 2, p50, p95) for t, n, c, f, rps, p50, p95 in rows]
    assert "NOT met" in _summary(tmp_path, "32", slow)


def test_queue_and_errors_against_the_8_user_target(tmp_path):
    rows = [
        ("GET", "/track/ [form]", 9000, 0, 160.0, 10, 20),
        ("GET", "/work/ [division]", 20, 0, 0.4, 50, 80),
        ("GET", "/work/ [my tasks]", 20, 1, 0.4, 50, 160),
        ("", "Aggregated", 9040, 1, 160.8, 10, 20),
    ]
    out = _summary(tmp_path, "8", rows)
    assert "/work/ [my tasks] 160 ms (target <= 150 ms: NOT met)" in out
    assert "errors: 1 (target none: NOT met)" in out


def test_tracking_throughput_as_a_multiple_of_the_reference_page(tmp_path):
    """Issue 24 point 11: the reference page's throughput, measured in the same run against
    the same processes, is printed beside the tracking pages' with their ratio."""
    reference = tmp_path / "ref_stats.csv"
    with reference.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(FIELDS)
        writer.writerow(("GET", "/login/ [reference]", 6000, 0, 320.0, 80, 130))
        writer.writerow(("", "Aggregated", 6000, 0, 320.0, 80, 130))
    stats = tmp_path / "stats.csv"
    with stats.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(FIELDS)
        writer.writerow(("GET", "/track/ [form]", 8000, 0, 100.0, 60, 100))
        writer.writerow(("POST", "/track/ [lookup]", 3000, 0, 60.0, 70, 110))
        writer.writerow(("", "Aggregated", 11000, 0, 160.0, 65, 110))
    out = subprocess.run(
        [sys.executable, str(HERE / "summary.py"), str(stats), "32", str(reference)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "/track/ together: 160.0 req/s" in out
    assert "reference /login/ 320.0 req/s in the same run: /track/ = 0.50 × reference" in out
