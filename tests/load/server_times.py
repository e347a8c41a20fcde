"""Server-side time per request kind from gunicorn's access log (`%(M)sms`), for the part of
serve.log written during one locust run: what the application spends, apart from the time a
request waits for a CPU on a busy machine (bin/bootstrap loadtest)."""

import re
import sys
from collections import defaultdict

LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d+) \S+ (?P<ms>\d+)ms'
)
KINDS = [
    (re.compile(r"^/track/$"), "GET", "/track/ [form]"),
    (re.compile(r"^/track/$"), "POST", "/track/ [lookup]"),
    (re.compile(r"^/track/[^/]+/$"), "GET", "/track/<number>/"),
    (re.compile(r"^/work/\?tab=mine"), "GET", "/work/ [my tasks]"),
    (re.compile(r"^/work/\?tab=division"), "GET", "/work/ [division]"),
    (re.compile(r"^/cases/[^/]+/$"), "GET", "/cases/<number>/"),
    (re.compile(r"^/api/v1/cases/[^/]+/transitions/"), "POST", "/api/v1/…/transitions/"),
    (re.compile(r"^/api/v1/cases/[^/]+/$"), "GET", "/api/v1/cases/<n>/"),
]


def _pct(values: list[int], p: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(path: str, offset: int) -> None:
    times: dict[str, list[int]] = defaultdict(list)
    with open(path, "rb") as f:
        f.seek(offset)
        for raw in f:
            match = LINE.search(raw.decode("utf-8", "replace"))
            if not match:
                continue
            for pattern, method, name in KINDS:
                if match["method"] == method and pattern.match(match["path"]):
                    times[name].append(int(match["ms"]))
                    break
    out = sys.stdout.write
    out("server time (gunicorn access log)      p50 ms   p95 ms  requests\n")
    for _pattern, _method, name in KINDS:
        if times[name]:
            values = times[name]
            out(f"  {name:36s} {_pct(values, 50):6d}   {_pct(values, 95):6d}  {len(values):8d}\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
