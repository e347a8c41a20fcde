"""Print the load test's figures from locust's CSV: throughput, p95 and errors per request
kind and in total, then the public tracking pages together and the officer's queue against
the targets of issue 15 (bin/bootstrap loadtest). Given the CSV of the reference run
(tests/load/reference.py, same users, same processes, same run), it prints the tracking
pages' throughput as a multiple of the reference page's too (issue 24 point 11)."""

import csv
import sys

# Issue 15's targets on the 2-core reference machine.
TRACK_RPS_AT_32 = 200.0
TRACK_P95_AT_32 = 150
QUEUE_P95_AT_8 = 150
REFERENCE = "/login/"  # tests/load/reference.py


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def reference_rps(path: str) -> float:
    """The reference page's throughput (tests/load/reference.py), from its locust CSV."""
    with open(path, encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if row["Type"]]
    return sum(float(row["Requests/s"]) for row in rows)


def main(path: str, users: str, reference: str | None = None) -> None:
    out = sys.stdout.write
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out(f"\n{users} users\n")
    header = ("request", "req/s", "p50 ms", "p95 ms", "requests", "errors")
    out("{:38s} {:>8s} {:>8s} {:>8s} {:>9s} {:>7s}\n".format(*header))
    for row in rows:
        name = row["Name"] if row["Type"] else "ALL"
        out(
            f"{name[:38]:38s} {float(row['Requests/s']):8.1f} {row['50%']:>8s} {row['95%']:>8s} "
            f"{row['Request Count']:>9s} {row['Failure Count']:>7s}\n"
        )
    named = [row for row in rows if row["Type"]]
    track = [row for row in named if row["Name"].startswith("/track/")]
    queue = [row for row in named if row["Name"].startswith("/work/")]
    errors = sum(int(row["Failure Count"]) for row in named)
    if track:
        rps = sum(float(row["Requests/s"]) for row in track)
        # The p95 of the pages together is at most the largest of their p95s (at least 95 %
        # of each kind is at or under its own p95).
        p95 = max(int(row["95%"]) for row in track)
        line = f"/track/ together: {rps:.1f} req/s, p95 at most {p95} ms"
        if reference:
            ref = reference_rps(reference)
            # The same processes serve the reference page back to back in the same run: the
            # tracking pages' throughput as a multiple of it holds on another machine.
            line += (
                f"; reference {REFERENCE} {ref:.1f} req/s in the same run: "
                f"/track/ = {rps / ref:.2f} × reference"
                if ref
                else "; reference: no requests"
            )
        if users == "32":
            ok = rps >= TRACK_RPS_AT_32 and p95 <= TRACK_P95_AT_32
            line += (
                f" (target >= {TRACK_RPS_AT_32:.0f} req/s and p95 <= {TRACK_P95_AT_32} ms: "
                f"{_verdict(ok)})"
            )
        out(line + "\n")
    if queue:
        p95 = max(int(row["95%"]) for row in queue)
        line = "officer's queue p95: " + ", ".join(f"{r['Name']} {r['95%']} ms" for r in queue)
        if users == "8":
            line += f" (target <= {QUEUE_P95_AT_8} ms: {_verdict(p95 <= QUEUE_P95_AT_8)})"
        out(line + "\n")
    out(f"errors: {errors} (target none: {_verdict(errors == 0)})\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
