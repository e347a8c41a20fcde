"""Print the load test's figures from locust's CSV: throughput, p95 and errors per request
kind and in total (bin/bootstrap loadtest)."""

import csv
import sys


def main(path: str, users: str) -> None:
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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
