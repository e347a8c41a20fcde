"""Load test (locust's FastHttpUser, so that the load generator itself needs little CPU on
this small machine): applicants tracking their applications, liaison officers working their queues
and case pages, and API clients firing transitions, against `bin/bootstrap serve`.

Run through `bash bin/bootstrap loadtest` (docs/DEPLOY.md), which seeds 100,000 cases,
prepares credentials (manage.py loadtest_prepare), starts the production command on
loopback and runs this file at 8 and then 32 users for a fixed time. Guards: the target
must be a loopback address, at most 64 users, and the run stops by itself (LOADTEST_SECONDS,
default 60) even when started without --run-time.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from typing import Any
from urllib.parse import urlparse

import gevent
from locust import FastHttpUser, between, constant, events, task
from locust.env import Environment

DATA = json.loads(open(os.environ["LOADTEST_DATA"], encoding="utf-8").read())  # noqa: SIM115
HEADERS = {"X-Forwarded-Proto": "https"}  # as nginx sets it (SECURE_PROXY_SSL_HEADER)
# People read a page before the next click: officers and integrations pause this long
# (seconds, "min,max"; "0,0" makes them back-to-back streams as well).
THINK = tuple(float(x) for x in os.environ.get("LOADTEST_THINK_SECONDS", "1,3").split(","))


def _applicant_headers() -> dict[str, str]:
    """Each look-up comes from another applicant: the address the proxy would pass in
    X-Real-IP (TRUSTED_PROXY_HEADER), from the benchmarking range 198.18.0.0/15 (RFC 2544).
    Only a header value: every request still goes to loopback. Without it all simulated
    applicants would share one address and meet the per-client tracking limit."""
    return {
        **HEADERS,
        "X-Real-IP": f"198.{18 + random.randint(0, 1)}.{random.randint(0, 255)}.{random.randint(1, 254)}",
    }


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MAX_USERS = 64
_officers = itertools.cycle(DATA["officers"])
_unclaimed = iter([(o, n) for o in DATA["officers"] for n in o["unclaimed"]])


def _https(host: str | None, path: str) -> str:
    """The Referer a browser sends behind the TLS proxy (CSRF checks it on HTTPS requests)."""
    return f"https://{urlparse(host or '').netloc}{path}"


@events.init.add_listener
def _guard(environment: Environment, **kwargs: Any) -> None:
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"The load test only targets loopback, not {host!r}.")
    parsed = environment.parsed_options
    if parsed is not None and parsed.num_users and parsed.num_users > MAX_USERS:
        raise SystemExit(f"At most {MAX_USERS} users.")
    seconds = int(os.environ.get("LOADTEST_SECONDS", "60"))
    if environment.runner is not None:
        gevent.spawn_later(seconds + 15, environment.runner.quit)  # stops by itself


class Applicant(FastHttpUser):
    """Looks an application up with its number and query code, then reads its page."""

    weight = 6
    # No think time: each simulated applicant user is a stream of back-to-back requests (many
    # applicants one after another), so the public page's throughput is what the machine can
    # serve beside officers working at a human pace.
    wait_time = constant(0)

    def _next_applicant(self) -> None:
        """Each task is another applicant, in another browser: no cookie of the previous one
        (its session would list every case this simulated user ever looked up)."""
        self.client.cookiejar.clear()

    @task(3)
    def track_form(self) -> None:
        self._next_applicant()
        self.client.get("/track/", headers=_applicant_headers(), name="/track/ [form]")

    @task(2)
    def track_lookup(self) -> None:
        self._next_applicant()
        headers = _applicant_headers()
        form = self.client.get("/track/", headers=headers, name="/track/ [form]")
        match = CSRF.search(form.text)
        if match is None:
            form.failure("no CSRF token on /track/")
            return
        case = random.choice(DATA["tracked"])
        with self.client.post(
            "/track/",
            data={"csrfmiddlewaretoken": match.group(1), **case},
            headers={**headers, "Referer": _https(self.host, "/track/")},
            name="/track/ [lookup]",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"lookup answered {response.status_code}")
                return
        self.client.get(f"/track/{case['number']}/", headers=headers, name="/track/<number>/")


class Officer(FastHttpUser):
    """A liaison officer: logs in once, then works the queue tabs and opens case pages."""

    weight = 3
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.officer = next(_officers)
        page = self.client.get("/login/", headers=HEADERS, name="/login/")
        token = CSRF.search(page.text)
        assert token is not None
        with self.client.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": self.officer["username"],
                "password": DATA["password"],
            },
            headers={**HEADERS, "Referer": _https(self.host, "/login/")},
            name="/login/ [post]",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")

    @task(3)
    def queue_mine(self) -> None:
        self.client.get("/work/?tab=mine", headers=HEADERS, name="/work/ [my tasks]")

    @task(3)
    def queue_division(self) -> None:
        self.client.get("/work/?tab=division", headers=HEADERS, name="/work/ [division]")

    @task(2)
    def case_page(self) -> None:
        numbers = self.officer["cases"] or self.officer["unclaimed"]
        number = random.choice(numbers)
        self.client.get(f"/cases/{number}/", headers=HEADERS, name="/cases/<number>/")


class ApiClient(FastHttpUser):
    """An integration (一网通办) client: claims a case for its officer, reads it, releases it."""

    weight = 1
    wait_time = between(*THINK)

    def on_start(self) -> None:
        try:
            self.officer, self.number = next(_unclaimed)
        except StopIteration:
            raise RuntimeError("no unclaimed case left for another API user") from None
        self.auth = {**HEADERS, "Authorization": f"Token {self.officer['token']}"}

    def _fire(self, name: str) -> None:
        with self.client.post(
            f"/api/v1/cases/{self.number}/transitions/{name}/",
            json={},  # "on" defaults to the server's today
            headers=self.auth,
            name=f"/api/v1/…/transitions/{name}/",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{name}: {response.status_code} {response.text[:200]}")

    @task
    def claim_read_release(self) -> None:
        self._fire("claim")
        self.client.get(
            f"/api/v1/cases/{self.number}/", headers=self.auth, name="/api/v1/cases/<n>/"
        )
        self._fire("release")
