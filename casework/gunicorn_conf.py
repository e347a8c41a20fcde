"""gunicorn settings for production (`gunicorn casework.wsgi --config python:casework.gunicorn_conf`).

Read from the environment: WEB_CONCURRENCY (processes; gunicorn's own variable, default
2 × cores + 1), GUNICORN_THREADS, GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS (the proxy's address).
Both logs go to stderr; the access log carries the request id (X-Request-ID).
"""

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle a process now and then: bounds the memory of long-lived PDF rendering.
max_requests = 2000
max_requests_jitter = 200
# ACCESS_LOG="" turns the access log off (the load test: a line per request costs CPU).
accesslog = os.environ.get("ACCESS_LOG", "-") or None
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'
# Only the proxy on this machine may set X-Forwarded-* (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
