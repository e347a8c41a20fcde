"""Experiment (issue 25): word segmentation (jieba) and fuzzy matching (rapidfuzz) measured
against the case library's character bigrams, on the labelled set, through the same
evaluation as `manage.py similar_eval` (casework.library.evaluation.evaluate).

jieba and rapidfuzz are not project dependencies: install them into a scratch directory, not
into the virtualenv, and put it on the path for this run only:

    python -m pip install --target /tmp/seglib jieba==0.42.1 rapidfuzz==3.14.6
    PYTHONPATH=/tmp/seglib .venv/bin/python -m docs.experiments.similarity_tokens

What is swapped (production code is not changed; the functions are replaced inside this
process only):

- the *term source* (`casework.library.match.bigrams`, which builds `Entry.grams` and
  `Entry.topic_grams`): it feeds the candidate lookup (the postings' "g" terms, mirrored by
  `MemoryLibrary.indexed_candidates`), the text similarity (cosine of the term sets) and the
  prefilter of `ranked`. Variants: character bigrams (production), jieba precise mode, jieba
  search mode, bigrams + jieba words;
- the *text similarity* (`Match.score`, `Match.topic_score` and the prefilter of `ranked`):
  rapidfuzz ratios of the normalised core and topic texts, divided by 100, with the bigram
  index and the fact comparison kept.

Kept in every variant: the facts (`differences`) and the subject rule (`subject_difference`,
computed on bigrams as in production: it is part of the fact comparison), the thresholds
(`SAME_THRESHOLD` 0.4, also swept), the candidate caps and weights.

Printed: hit@1, recall@10, same-information precision/recall, false 36(6) flags, repeat
recall, routing accuracy, popular-topic recall; the pairwise judgement on
tests/data/similar_pairs.jsonl; the time to build an entry (normalise, facts, terms) and to
look one up (in memory, as `similar_eval`); the index size (terms and postings per entry);
and jieba's import and dictionary-loading cost in a fresh interpreter (cold: no cache file;
warm: jieba's marshal cache present), which a web worker pays on its first request.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import django

from casework.library import evaluation, match, memory, postings
from casework.library.facts import differences, same_document, subject_difference
from casework.library.match import Entry, Match
from casework.library.postings import entry_terms
from casework.library.text import bigrams, core_text
from casework.payloads import Payload

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
TARGETS = (
    "hit@1 ≥ 0.90, recall@10 ≥ 0.95, same precision ≥ 0.90 at recall ≥ 0.80, false 36(6) ≤ 2 %"
)

Terms = Callable[[str], frozenset[str]]
Scores = Callable[[Entry, Entry], tuple[float, float]]
Prefilter = Callable[[Entry, Entry], float]


def _optional(name: str) -> ModuleType:
    """jieba / rapidfuzz, imported by name so that `mypy .` passes where they are absent."""
    try:
        return importlib.import_module(name)
    except ImportError:
        sys.exit(
            f"{name} is not importable: python -m pip install --target /tmp/seglib "
            f"jieba rapidfuzz, then run with PYTHONPATH=/tmp/seglib"
        )


# --- term sources ----------------------------------------------------------------------------


def jieba_terms(search: bool) -> Terms:
    jieba = _optional("jieba")
    jieba.setLogLevel(60)
    cut = jieba.lcut_for_search if search else jieba.lcut
    cut("预热")  # the dictionary is loaded here, not inside the timed entry builds

    def terms(text: str) -> frozenset[str]:
        words: list[str] = cut(text)
        return frozenset(w for w in words if w.strip())

    return terms


def bigrams_and_words(words: Terms) -> Terms:
    def terms(text: str) -> frozenset[str]:
        # Words prefixed so that a two-character word counts besides the equal bigram.
        return bigrams(text) | frozenset(f"w:{w}" for w in words(text))

    return terms


# --- text similarity ---------------------------------------------------------------------------


def cosine_scores(new: Entry, earlier: Entry) -> tuple[float, float]:
    """Production: the cosine of the term sets, of the core and of the topic text."""
    score = match.similarity(new.grams, earlier.grams)
    both_topics = new.topic_grams and earlier.topic_grams
    return score, match.similarity(new.topic_grams, earlier.topic_grams) if both_topics else score


def cosine_prefilter(new: Entry, c: Entry) -> float:
    return match.similarity(new.grams, c.grams) + match.similarity(new.topic_grams, c.topic_grams)


def fuzzy_scores(ratio: Callable[[str, str], float], prepare: Callable[[str], str]) -> Scores:
    cache: dict[str, str] = {}

    def prepared(text: str) -> str:
        if text not in cache:
            cache[text] = prepare(text)
        return cache[text]

    def scores(new: Entry, earlier: Entry) -> tuple[float, float]:
        score = ratio(prepared(new.core), prepared(earlier.core)) / 100
        both_topics = new.topic and earlier.topic
        topic = ratio(prepared(new.topic), prepared(earlier.topic)) / 100 if both_topics else score
        return score, topic

    return scores


def spaced_words(words: Terms) -> Callable[[str], str]:
    def prepare(text: str) -> str:
        return " ".join(sorted(words(text)))

    return prepare


@dataclass(frozen=True)
class Variant:
    name: str
    terms: Terms
    scores: Scores = cosine_scores
    prefilter: Prefilter | None = None

    def prefilter_score(self, new: Entry, c: Entry) -> float:
        if self.prefilter is not None:
            return self.prefilter(new, c)
        return sum(self.scores(new, c))


def variants() -> list[Variant]:
    precise, search = jieba_terms(search=False), jieba_terms(search=True)
    fuzz = _optional("rapidfuzz.fuzz")

    def same_text(text: str) -> str:
        return text

    return [
        Variant("a  bigrams (production)", bigrams, cosine_scores, cosine_prefilter),
        Variant("b1 jieba precise words", precise, cosine_scores, cosine_prefilter),
        Variant("b2 jieba search words", search, cosine_scores, cosine_prefilter),
        Variant("c1 bigrams + precise words", bigrams_and_words(precise), cosine_scores),
        Variant("c2 bigrams + search words", bigrams_and_words(search), cosine_scores),
        Variant(
            "d1 rapidfuzz token_set_ratio", bigrams, fuzzy_scores(fuzz.token_set_ratio, same_text)
        ),
        Variant("d2 rapidfuzz partial_ratio", bigrams, fuzzy_scores(fuzz.partial_ratio, same_text)),
        Variant(
            "d3 rapidfuzz token_set on jieba words",
            bigrams,
            fuzzy_scores(fuzz.token_set_ratio, spaced_words(precise)),
        ),
    ]


# --- the swap -------------------------------------------------------------------------------


def variant_compare(variant: Variant) -> Callable[[Entry, Entry], Match]:
    def compare(new: Entry, earlier: Entry) -> Match:
        found = differences(new.facts, earlier.facts, new.same_applicant(earlier))
        # The subject rule reads bigram coverage (facts.unshared_runs): kept on bigrams.
        shared_topic = bigrams(new.topic) & bigrams(earlier.topic)
        subject = subject_difference(new.topic, earlier.topic, shared_topic)
        if subject is not None:
            found.append(subject)
        score, topic_score = variant.scores(new, earlier)
        return Match(
            earlier,
            score,
            topic_score,
            tuple(found),
            new.grams & earlier.grams,
            same_document(new.facts, earlier.facts),
        )

    return compare


def variant_ranked(
    variant: Variant, compare: Callable[[Entry, Entry], Match]
) -> Callable[[Entry, Iterable[Entry], int], list[Match]]:
    def ranked(
        new: Entry, candidates: Iterable[Entry], limit: int = match.SIMILAR_LIMIT
    ) -> list[Match]:
        alike = [(variant.prefilter_score(new, c), c) for c in candidates if c.id != new.id]
        alike.sort(key=lambda p: p[0], reverse=True)
        found = [compare(new, c) for _s, c in alike[: match.PREFILTER]]
        found = [m for m in found if m.score > 0]
        found.sort(key=lambda m: (m.rank, m.earlier.received_on, str(m.earlier.id)), reverse=True)
        return found[:limit]

    return ranked


@contextmanager
def swapped(variant: Variant, threshold: float, cap: int | None = None) -> Iterator[None]:
    """The variant's term source and text similarity in place of production's; with `cap`,
    the postings counted and read per term squeezed to `cap` (as if each term were crowded
    by other requests of a large organ: the candidates then depend on the rare terms)."""
    compare = variant_compare(variant)
    caps: list[tuple[ModuleType, str, object]] = [
        (postings, "COUNT_CAP", cap),
        (memory, "COUNT_CAP", cap),
        (memory, "POSTINGS_PER_TERM", cap),
    ]
    patches: list[tuple[ModuleType, str, object]] = [
        *(caps if cap is not None else []),
        (match, "bigrams", variant.terms),
        (match, "SAME_THRESHOLD", threshold),
        (match, "compare", compare),
        (memory, "compare", compare),
        (evaluation, "compare", compare),
        (memory, "ranked", variant_ranked(variant, compare)),
    ]
    saved = [(module, name, getattr(module, name)) for module, name, _v in patches]
    try:
        for module, name, value in patches:
            setattr(module, name, value)
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


# --- measuring --------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def pairwise(rows: list[Payload], pairs: list[Payload]) -> tuple[float, float]:
    """Precision and recall of "same information" on the labelled pairs (judgement alone,
    no candidate lookup): the later request compared with the earlier one."""
    requests = {str(r["id"]): evaluation.Request.of(r, i) for i, r in enumerate(rows)}
    entries = {i: r.entry() for i, r in requests.items()}
    tp = fp = fn = 0
    for p in pairs:
        a, b = requests[str(p["a"])], requests[str(p["b"])]
        new, old = (a, b) if a.order > b.order else (b, a)
        said = match.compare(entries[new.id], entries[old.id]).same
        tp += said and p["same"]
        fp += said and not p["same"]
        fn += not said and p["same"]
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


@dataclass
class Row:
    variant: str
    threshold: float
    metrics: Mapping[str, float | int | None]
    pair_precision: float
    pair_recall: float
    build_ms: float
    lookup_p50: float
    lookup_p95: float
    terms_per_entry: float
    postings_per_entry: float
    distinct_terms: int

    def meets_targets(self) -> bool:
        m = self.metrics
        return (
            (m["hit_at_1"] or 0) >= 0.90
            and (m["recall_at_10"] or 0) >= 0.95
            and (m["same_precision"] or 0) >= 0.90
            and (m["same_recall"] or 0) >= 0.80
            and (m["false_repeat_rate"] or 0) <= 0.02
        )


def measure(
    variant: Variant,
    threshold: float,
    rows: list[Payload],
    pairs: list[Payload],
    cap: int | None = None,
) -> Row:
    with swapped(variant, threshold, cap):
        requests = [evaluation.Request.of(r, i) for i, r in enumerate(rows)]
        started = time.perf_counter()
        entries = [r.entry() for r in requests]
        build_ms = (time.perf_counter() - started) * 1000 / len(entries)
        result = evaluation.evaluate(rows)
        pair_precision, pair_recall = pairwise(rows, pairs)
    return Row(
        variant=variant.name,
        threshold=threshold,
        metrics=result.metrics,
        pair_precision=pair_precision,
        pair_recall=pair_recall,
        build_ms=build_ms,
        lookup_p50=percentile(result.lookup_ms, 0.5),
        lookup_p95=percentile(result.lookup_ms, 0.95),
        terms_per_entry=statistics.mean(len(e.grams) for e in entries),
        postings_per_entry=statistics.mean(len(entry_terms(e)) for e in entries),
        distinct_terms=len({g for e in entries for g in e.grams}),
    )


HEADER = (
    "| variant | thr | hit@1 | rec@10 | same P | same R | false 36(6) | repeat R | routing "
    "| popular R | pairs P / R | build ms | lookup p50 / p95 ms | terms/entry | postings/entry "
    "| distinct terms |"
)


def table_row(row: Row) -> str:
    m = row.metrics
    cells = [
        row.variant,
        f"{row.threshold:.1f}",
        *(
            f"{m[k]:.3f}" if isinstance(m[k], float) else str(m[k])
            for k in (
                "hit_at_1",
                "recall_at_10",
                "same_precision",
                "same_recall",
                "false_repeat_rate",
                "repeat_recall",
                "routing_accuracy",
                "popular_recall",
            )
        ),
        f"{row.pair_precision:.3f} / {row.pair_recall:.3f}",
        f"{row.build_ms:.2f}",
        f"{row.lookup_p50:.2f} / {row.lookup_p95:.2f}",
        f"{row.terms_per_entry:.1f}",
        f"{row.postings_per_entry:.1f}",
        str(row.distinct_terms),
    ]
    return "| " + " | ".join(cells) + " |"


# jieba's first-call cost in a fresh interpreter: import, dictionary load, resident memory.
_LOAD_PROBE = """
import json, sys, time
def rss():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024
r0 = rss(); t0 = time.perf_counter()
import jieba
t1 = time.perf_counter(); r1 = rss()
jieba.setLogLevel(60)
jieba.dt.cache_file = sys.argv[1]
jieba.lcut("申请公开2024年度部门预算")
t2 = time.perf_counter(); r2 = rss()
texts = json.loads(sys.stdin.read())
t3 = time.perf_counter()
for t in texts:
    jieba.lcut(t)
t4 = time.perf_counter()
print(json.dumps({"import_ms": (t1 - t0) * 1000, "first_cut_ms": (t2 - t1) * 1000,
                  "rss_before_mb": r0, "rss_after_import_mb": r1, "rss_after_load_mb": r2,
                  "cut_ms_per_text": (t4 - t3) * 1000 / max(1, len(texts))}))
"""

_FUZZ_PROBE = """
import json, time
t0 = time.perf_counter()
from rapidfuzz import fuzz
fuzz.token_set_ratio("2024年度部门预算", "2023年度部门决算")
print(json.dumps({"import_ms": (time.perf_counter() - t0) * 1000}))
"""


def _probe(code: str, args: list[str], stdin: str = "") -> Payload:
    done = subprocess.run(  # noqa: S603 - this interpreter, code written above
        [sys.executable, "-c", code, *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    answer: Payload = json.loads(done.stdout)
    return answer


def load_costs(rows: list[Payload], probes: int) -> list[str]:
    """Medians (and ranges) over `probes` fresh interpreters: the machine is shared."""
    cores = json.dumps([core_text(str(r.get("text") or "")) for r in rows])
    lines = []

    def shown(runs: list[Payload], key: str, unit: str) -> str:
        values = sorted(float(r[key]) for r in runs)
        return f"{statistics.median(values):.0f} {unit} ({values[0]:.0f}–{values[-1]:.0f})"

    with tempfile.TemporaryDirectory() as scratch:
        for label in ("cold (no cache file: builds the prefix dict)", "warm (cache file read)"):
            runs = []
            for i in range(probes):
                cache = Path(scratch) / f"jieba{i}.cache"
                if label.startswith("cold"):
                    cache.unlink(missing_ok=True)
                runs.append(_probe(_LOAD_PROBE, [str(cache)], cores))
            lines.append(
                f"jieba {label}, {probes} runs: import {shown(runs, 'import_ms', 'ms')}, "
                f"first lcut (dictionary) {shown(runs, 'first_cut_ms', 'ms')}, RSS "
                f"{shown(runs, 'rss_before_mb', 'MB')} → {shown(runs, 'rss_after_import_mb', 'MB')}"
                f" → {shown(runs, 'rss_after_load_mb', 'MB')}, then "
                f"{statistics.median(float(r['cut_ms_per_text']) for r in runs):.3f} ms per "
                "request text"
            )
    runs = [_probe(_FUZZ_PROBE, []) for _i in range(probes)]
    lines.append(f"rapidfuzz: import + first call {shown(runs, 'import_ms', 'ms')}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--set", type=Path, default=DATA / "similar_set.jsonl")
    parser.add_argument("--pairs", type=Path, default=DATA / "similar_pairs.jsonl")
    parser.add_argument(
        "--thresholds",
        type=float,
        nargs="*",
        default=list(THRESHOLDS),
        help="same-information thresholds to sweep (none: no sweep)",
    )
    parser.add_argument("--probes", type=int, default=3, help="fresh interpreters per load figure")
    parser.add_argument(
        "--caps", type=int, nargs="*", default=[20, 8], help="postings a term, squeezed"
    )
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    django.setup()
    rows = [json.loads(line) for line in options.set.read_text("utf-8").splitlines() if line]
    pairs = [json.loads(line) for line in options.pairs.read_text("utf-8").splitlines() if line]
    out = sys.stdout.write
    out(f"{options.set.name}: {len(rows)} requests, {len(pairs)} labelled pairs\n")

    production = evaluation.evaluate(rows).metrics
    all_variants = variants()
    first = measure(all_variants[0], match.SAME_THRESHOLD, rows, pairs)
    reproduced = dict(first.metrics) == dict(production)
    out(f"variant a reproduces similar_eval's figures: {'yes' if reproduced else 'NO'}\n\n")

    out(f"At the production threshold (SAME_THRESHOLD {match.SAME_THRESHOLD}):\n\n")
    out(HEADER + "\n|" + "---|" * 16 + "\n")
    out(table_row(first) + "\n")
    for v in all_variants[1:]:
        out(table_row(measure(v, match.SAME_THRESHOLD, rows, pairs)) + "\n")
        sys.stdout.flush()

    for cap in options.caps:
        out(f"\nCandidate caps squeezed to {cap} postings a term (threshold 0.4):\n\n")
        out(HEADER + "\n|" + "---|" * 16 + "\n")
        for v in all_variants:
            out(table_row(measure(v, match.SAME_THRESHOLD, rows, pairs, cap)) + "\n")
            sys.stdout.flush()

    if options.thresholds:
        out("\nThe same-information threshold swept (tuned on the set itself: optimistic):\n\n")
        out(HEADER + "\n|" + "---|" * 16 + "\n")
        for v in all_variants:
            for threshold in options.thresholds:
                row = measure(v, threshold, rows, pairs)
                mark = " ✓" if row.meets_targets() else ""
                out(table_row(row) + mark + "\n")
                sys.stdout.flush()
        out(f"\n✓ = meets the targets ({TARGETS}).\n")

    out("\nFirst-call cost in a fresh interpreter:\n")
    for line in load_costs(rows, options.probes):
        out(f"- {line}\n")


if __name__ == "__main__":
    main()
