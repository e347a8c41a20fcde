"""The session store: Django's cached_db (read from the cache, written to both), creating a
new session with one INSERT.

Django looks a new random key up (the cache, then the database) before inserting it, although
the insert itself refuses a duplicate key and `create` then draws another. With 32 random
characters a collision never happens in practice, and each look-up cost a cache read and a
database query for every applicant who tracks an application (the tracking page starts a
session per look-up). Settings name this store when REDIS_URL is set.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore
from django.utils.crypto import get_random_string


class SessionStore(CachedDbSessionStore):
    def _get_new_session_key(self) -> str:
        # create() inserts with must_create=True and draws again on CreateError (a duplicate).
        return get_random_string(32, VALID_KEY_CHARS)
