"""Test settings: the project settings plus fast hashing, an in-memory cache and a
temporary media folder. DATABASE_URL selects PostgreSQL; without it, SQLite."""

import tempfile
from pathlib import Path

from casework.settings import *  # noqa: F403
from casework.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="casework-test-media-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEBUG = False
# The tests run the demo's commands (load_demo) and see its banner.
CASEWORK_MODE = "demo"
DEMO = True
# Jobs run at once, in the test's process; the worker tests start real `db_worker` processes
# with the database backend instead (tests/casework/test_workers.py).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "long"],
    }
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so threads in the concurrency tests share one database; named
    # after the checkout so two checkouts on one machine never share it.
    import hashlib

    from casework.settings import BASE_DIR

    checkout = hashlib.sha1(str(BASE_DIR).encode(), usedforsecurity=False).hexdigest()[:10]
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"casework-test-{checkout}.sqlite3")
    }

# Close connections at the end of each request: the live server's request threads would
# otherwise keep theirs open and block dropping the PostgreSQL test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0

# The second factor is off for the suite as a whole (tests log in with force_login);
# tests/workflows/accounts/ switches it on and exercises it.
OTP_REQUIRED_GROUPS: list[str] = []
# Many tests travel days in time between requests of one logged-in client; the session
# limits are tested with their production values in tests/workflows/accounts/.
SESSION_IDLE_SECONDS = SESSION_ABSOLUTE_SECONDS = SESSION_COOKIE_AGE = 100 * 365 * 86400
# Most tests date their steps in March 2026 while pages and the API enter them at the real
# time: the backdating rule (casework.lifecycle.periods) is off for the suite as a whole;
# tests/casework/lifecycle/test_entry_periods.py and the pages' tests switch it on.
BACKDATE_REASON_WORKING_DAYS = 100_000
