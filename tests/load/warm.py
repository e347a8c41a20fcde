"""Warm the production command before the load test measures it (bin/bootstrap loadtest):
wait for /healthz, then send every kind of page the test will send, enough times for each
gunicorn process to have served it. A process's first officer page opens its PostgreSQL
connection, whose backend has yet to read the catalogue; that first page took 150-180 ms
against 45 ms after, which belongs to a process's start, not to its steady state.

    python tests/load/warm.py PORT DATA_JSON
"""

import http.cookiejar
import json
import re
import sys
import time
import urllib.parse
import urllib.request

HEADERS = {"X-Forwarded-Proto": "https"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROUNDS = 30  # gunicorn hands requests to whichever process is free: enough to reach each


def main(port: str, data_path: str) -> None:
    base = f"http://127.0.0.1:{port}"
    for _ in range(180):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=5)  # noqa: S310 - loopback
            break
        except urllib.error.HTTPError:
            break  # it answers (503 while the next year's calendar is missing, for instance)
        except OSError:
            time.sleep(1)
    else:
        sys.exit("the production command did not answer /healthz")
    with open(data_path, encoding="utf-8") as f:
        data = json.load(f)
    public = urllib.request.build_opener()
    officer = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def get(opener: urllib.request.OpenerDirector, path: str) -> str:
        request = urllib.request.Request(base + path, headers=HEADERS)  # noqa: S310 - loopback
        with opener.open(request, timeout=30) as response:
            return str(response.read().decode())

    first = data["officers"][0]
    token = CSRF.search(get(officer, "/login/"))
    assert token is not None, "no CSRF token on /login/"
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": first["username"],
            "password": data["password"],
        }
    ).encode()
    login = urllib.request.Request(  # noqa: S310 - loopback
        base + "/login/",
        data=body,
        headers={**HEADERS, "Referer": f"https://127.0.0.1:{port}/login/"},
    )
    officer.open(login, timeout=30).read()
    case = (first["cases"] or first["unclaimed"])[0]
    for _ in range(ROUNDS):
        for path in ("/track/", "/guide/", "/login/"):
            get(public, path)
        for path in ("/work/?tab=mine", "/work/?tab=division", f"/cases/{case}/"):
            get(officer, path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
