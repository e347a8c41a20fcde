"""gunicorn settings for production (`gunicorn casework.wsgi --config python:casework.gunicorn_conf`).

Read from the environment: WEB_CONCURRENCY (processes; gunicorn's own variable, default
cores + 1, see below), GUNICORN_THREADS, GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS (the proxy's address).
Both logs go to stderr; the access log carries the request id (X-Request-ID).
"""

import multiprocessing
import os

# The pages are CPU-bound (templates, the ORM) and PostgreSQL usually shares the machine, so
# more processes than cores only add contention: on the 2-core reference machine the load test
# at 32 users served /track/ at 257 req/s with 2 processes, 231 with 3, 214 with 4 and 203 with
# 5 (gunicorn's usual 2 × cores + 1). One process more than the cores keeps a core's worth of
# capacity when a request is slow (an export, a preview).
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle a process now and then: bounds the memory of long-lived PDF rendering. Not often: a
# new process starts with a new PostgreSQL connection whose backend has yet to read the
# catalogue, and its first pages were slow (the officers' queue took 140-230 ms instead of
# 45 ms after each recycle when the load test recycled every process every 18 s at 2,000).
max_requests = 20000
max_requests_jitter = 2000
# Load the application once in the master, before the workers fork, and warm it (when_ready):
# a recycled worker then starts as a copy of a ready process instead of importing Django and
# the project again (about 1 s of CPU each time: 16 % of the web processes' CPU in the load
# test at 32 users, sampled with py-spy). A new release therefore needs a restart, not HUP
# (docs/DEPLOY.md).
preload_app = True
# ACCESS_LOG="" turns the access log off (the load test: a line per request costs CPU).
accesslog = os.environ.get("ACCESS_LOG", "-") or None
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'
# Only the proxy on this machine may set X-Forwarded-* (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server: object) -> None:  # gunicorn's Arbiter, unused
    """In the master, after the application is loaded and before any worker forks: import
    every view (the URLconf), load the Chinese catalogue and compile the project's templates,
    so that each worker's first requests are as fast as its later ones. No database
    connection may stay open across the fork (each worker opens its own)."""
    from pathlib import Path

    from django.conf import settings
    from django.db import connections
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    translation.activate(settings.LANGUAGE_CODE)
    engine = engines["django"]
    directories: list[Path] = settings.TEMPLATES[0]["DIRS"]  # type: ignore[assignment]
    for directory in directories:
        for path in sorted(Path(directory).rglob("*.html")):
            try:
                engine.get_template(str(path.relative_to(directory)))
            except (TemplateDoesNotExist, TemplateSyntaxError):  # an admin override's base
                continue
    translation.deactivate()
    # Production never serves a database that held the demo, nor one whose active accounts
    # still have the demo's published password (issue 22): the master stops here.
    from workflows.demo import refuse_demo_in_production

    try:
        refuse_demo_in_production()
    finally:
        connections.close_all()
