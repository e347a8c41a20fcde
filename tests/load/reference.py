"""The load test's yardstick (issue 24 point 11): one page of fixed cost, the login form (the
whole middleware stack, a session and a template, no case data), requested back to back by
the same number of users against the same server processes, in the same run as the load test
(bin/bootstrap loadtest). summary.py prints the tracking pages' throughput as a multiple of
it, so that a verdict read on a slower or busier machine can be compared with the reference
machine's."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlparse

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

REFERENCE_PAGE = "/login/"
HEADERS = {"X-Forwarded-Proto": "https"}  # as nginx sets it (SECURE_PROXY_SSL_HEADER)


@events.init.add_listener
def _guard(environment: Environment, **kwargs: Any) -> None:
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("The reference run only targets loopback.")
    seconds = int(os.environ.get("LOADTEST_REFERENCE_SECONDS", "20"))
    if environment.runner is not None:
        gevent.spawn_later(seconds + 15, environment.runner.quit)  # stops by itself


class Reference(FastHttpUser):
    wait_time = constant(0)

    @task
    def login_form(self) -> None:
        self.client.cookiejar.clear()  # another visitor each time, as the applicants are
        self.client.get(REFERENCE_PAGE, headers=HEADERS, name=f"{REFERENCE_PAGE} [reference]")
