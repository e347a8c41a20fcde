"""Files an applicant chose on an online application that had errors, kept on the server
for the next attempt of the same form (its submission token) and bound to the session.

A browser never keeps a file input's selection after a round trip, so without this the
applicant would have to find every file again. Each file is checked like any upload
(casework.attachments.attachment_check: content, not name; size cap) before it is kept,
stored under a random name outside any public folder, and deleted once the application is
submitted or the file replaced.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files import File
from django.core.files.storage import default_storage
from django.http import HttpRequest

from casework.attachments import attachment_check
from casework.payloads import Payload

SESSION_KEY = "portal_pending_files"
FOLDER = "portal-pending"
MAX_TOKENS = 5  # attempts remembered per session; older ones are dropped with their files


def _entries(request: HttpRequest, token: str) -> dict[str, Payload]:
    store: dict[str, dict[str, Payload]] = request.session.get(SESSION_KEY, {})
    return store.get(token, {}) if token else {}


def _save(request: HttpRequest, token: str, entries: dict[str, Payload]) -> None:
    store: dict[str, dict[str, Payload]] = request.session.get(SESSION_KEY, {})
    if entries:
        store[token] = entries
    else:
        store.pop(token, None)
    while len(store) > MAX_TOKENS:
        oldest = next(iter(store))
        for entry in store.pop(oldest).values():
            default_storage.delete(entry["path"])
    request.session[SESSION_KEY] = store


def kept(request: HttpRequest, token: str) -> dict[str, str]:
    """Field name -> original file name of the files kept for this form."""
    return {field: entry["name"] for field, entry in _entries(request, token).items()}


def keep(request: HttpRequest, token: str, field: str, uploaded: File[bytes]) -> None:
    """Check an upload like any attachment (InvalidInput if refused) and keep it for the
    form's next attempt, replacing a file kept before for the same field."""
    if not token:
        return
    attachment_check(uploaded, field=field)
    entries = _entries(request, token)
    if field in entries:
        default_storage.delete(entries[field]["path"])
    path = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}", uploaded)
    uploaded.seek(0)
    entries[field] = {"path": path, "name": str(uploaded.name)[:200]}
    _save(request, token, entries)


def forget(request: HttpRequest, token: str, field: str) -> None:
    """Drop the kept file of one field (the applicant chose to replace it)."""
    entries = _entries(request, token)
    entry = entries.pop(field, None)
    if entry is not None:
        default_storage.delete(entry["path"])
        _save(request, token, entries)


def forget_all(request: HttpRequest, token: str) -> None:
    for field in list(_entries(request, token)):
        forget(request, token, field)


@contextmanager
def files(request: HttpRequest, token: str) -> Iterator[dict[str, File[bytes]]]:
    """The kept files, open, named as the applicant named them."""
    opened: dict[str, File[bytes]] = {}
    try:
        for field, entry in _entries(request, token).items():
            opened[field] = File(default_storage.open(entry["path"], "rb"), name=entry["name"])
        yield opened
    finally:
        for handle in opened.values():
            handle.close()
