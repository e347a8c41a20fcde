"""Settings of the real worker processes started by tests/casework/test_workers.py: the test
settings with the database task backend, the test database and e-mail written to files."""

import os

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["CASEWORK_TEST_DB_NAME"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "long"]}}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["CASEWORK_TEST_MAIL_DIR"]
# A worker that reads and writes the test's files (letters, case files) uses its media folder.
if os.environ.get("CASEWORK_TEST_MEDIA_ROOT"):
    from pathlib import Path

    MEDIA_ROOT = Path(os.environ["CASEWORK_TEST_MEDIA_ROOT"])
