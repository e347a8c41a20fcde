"""The case library on real, published request texts (tests/data/similar_real.jsonl).

Issue 25's targets hold on the generated set (tests/workflows/test_library.py). On the real
texts some do not yet: the test asserts the issue's target where the library meets it today
and the present figure as a floor where it does not (marked FLOOR), so that a matcher change
can only raise them. See tests/data/README_similar_real.md for the error analysis.
"""

from __future__ import annotations

import json
from pathlib import Path

from casework.library.evaluation import evaluate

DATA = Path(__file__).resolve().parents[2] / "data"


def _rows() -> list[dict[str, object]]:
    lines = (DATA / "similar_real.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_the_real_set_quotes_real_requests_and_marks_what_is_derived() -> None:
    rows = _rows()
    ids = {str(r["id"]) for r in rows}
    real = [r for r in rows if not str(r["source"]).startswith("derived from real-")]
    derived = [r for r in rows if str(r["source"]).startswith("derived from real-")]
    assert len(real) >= 40
    assert len(derived) >= len(real)
    assert len(ids) == len(rows)
    for r in rows:
        assert str(r["id"]).startswith("real-")
        for key in ("text", "applicant", "received_on", "cluster", "source"):
            assert r[key], (r["id"], key)
    for r in derived:
        base = str(r["source"]).split(":", 1)[0].removeprefix("derived from ")
        assert any(i == base or i.startswith(base) for i in ids), r["id"]
    # divisions only on the veterans-affairs texts, from the demo's divisions
    demo = {"办公室", "政策法规处", "就业创业处", "优抚处", "移交安置处", "褒扬纪念处"}
    assert {r["division"] for r in rows if "division" in r} <= demo


def _figures() -> dict[str, float]:
    metrics = evaluate(_rows()).metrics
    assert all(v is not None for v in metrics.values()), metrics
    return {k: float(v or 0) for k, v in metrics.items()}


def test_the_real_set_meets_the_targets_or_its_present_floor() -> None:
    m = _figures()
    assert m["requests"] == 120
    # the targets, met today
    assert m["recall_at_10"] >= 0.95
    assert m["hit_at_1"] >= 0.90
    assert m["false_repeat_rate"] <= 0.02
    assert m["routing_accuracy"] >= 0.80
    # FLOOR: below the targets (same_precision 0.90, same_recall 0.80,
    # repeat_recall 0.80, popular_recall 0.90) — the present figures on the real texts
    assert m["same_precision"] >= 0.67
    assert m["same_recall"] >= 0.62
    assert m["repeat_recall"] >= 0.68
    assert m["popular_topics"] == 2
    assert m["popular_recall"] >= 0.0
