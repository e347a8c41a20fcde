"""Project settings: one module, every difference between environments comes from
environment variables (CASEWORK_MODE, DATABASE_URL, SECRET_KEY, DEBUG, DATA_DIR, ...).

CASEWORK_MODE chooses how strict the settings are (docs/DEPLOY.md):

- ``production`` (what ``bin/bootstrap serve`` and casework/wsgi.py default to): DEBUG off
  unless DEBUG=1, and the process refuses to start without SECRET_KEY, ALLOWED_HOSTS and a
  PostgreSQL DATABASE_URL; every security setting comes from the environment.
- ``demo`` (set by ``bin/bootstrap run``): SQLite, the demo data, a banner on every page.
- unset (a bare ``manage.py``, the linters, the tests): ``development`` — the demo's lenient
  defaults without the demo: no banner, and load_demo refuses.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import dj_database_url
import django_stubs_ext

# Makes generic Django classes (ModelAdmin[Case], QuerySet[Case]) subscriptable at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
# Mutable state (SQLite file, uploaded attachments, issued letters) lives outside the
# code and outside any public folder.
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))

CASEWORK_MODE = os.environ.get("CASEWORK_MODE", "development")
if CASEWORK_MODE not in ("production", "demo", "development"):
    raise ImproperlyConfigured("CASEWORK_MODE must be production, demo or development.")
PRODUCTION = CASEWORK_MODE == "production"
DEMO = CASEWORK_MODE == "demo"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in production mode (CASEWORK_MODE=production); see docs/DEPLOY.md."
        )
    return value


def _local_secret_key() -> str:
    """Demo and development only: a random key kept in DATA_DIR, so no key is ever published
    in the code and sessions survive a restart of the demo."""
    path = DATA_DIR / ".secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.touch(mode=0o600)
        path.write_text(key)
        return key


if PRODUCTION:
    SECRET_KEY = _required("SECRET_KEY")
    _required("ALLOWED_HOSTS")
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS")
    DEBUG = _env_bool("DEBUG", False)
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
    DEBUG = _env_bool("DEBUG", DEMO)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "casework.storage.StaticFilesConfig",  # django.contrib.staticfiles, minus viewflow's UI
    "guardian",
    "viewflow",
    "viewflow.workflow",
    "rest_framework",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "captcha",
    "casework",
    "casework.library",
    "casework.catalogue",
    "casework.selfcheck",
    "letters",
    "workflows",
    "letters.records",
]

MIDDLEWARE = [
    "casework.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Collected static files straight from the app server, with far-future caching headers.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "workflows.accounts.middleware.SessionLimitMiddleware",
    "workflows.accounts.middleware.SecondFactorMiddleware",
    # After authentication (the upload limit depends on who sends), before any view or
    # CSRF check reads the body.
    "casework.middleware.InputGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "casework.middleware.SecurityLogMiddleware",
    "casework.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes requires: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casework.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "workflows.context_processors.staff_nav",
                "casework.context_processors.mode",
            ],
        },
    },
]

WSGI_APPLICATION = "casework.wsgi.application"


def _database_from_env() -> dict[str, object]:
    """SQLite (embedded default) or whatever DATABASE_URL names (PostgreSQL in production)."""
    url = os.environ.get("DATABASE_URL")
    if PRODUCTION and not (url or "").startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            "Production mode needs DATABASE_URL=postgres://… (PostgreSQL); see docs/DEPLOY.md."
        )
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "db.sqlite3",
        # IMMEDIATE takes the write lock when a transaction starts, so two concurrent
        # writers queue on the busy timeout instead of failing with "database is locked"
        # half-way through (SQLite has no row locks; select_for_update is a no-op there).
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }


DATABASES = {"default": _database_from_env()}
# The role the application connects as when the tables belong to another (docs/DEPLOY.md §8):
# `manage.py restore` re-applies its grants to the restored tables.
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "").strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, as django-axes requires: refuses a locked-out account + address before the
    # password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # No log-in from an unknown client address (the lock-out is keyed on the address).
    "workflows.accounts.backends.KnownAddressBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},  # issue 16: 12 characters at least
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workflows:workbench"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# The main catalogue, plus one catalogue per area under locale/extra/<area>/ so that work on
# different areas never edits the same file.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    *sorted(p for p in (BASE_DIR / "locale" / "extra").glob("*") if p.is_dir()),
]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
# Never served directly: downloads go through access-checked views. Several app servers share
# it through a shared mount (docs/DEPLOY.md), or set STORAGE_BACKEND to another Storage class.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
    },
    "staticfiles": {
        # Production serves `collectstatic`'s hashed, compressed files (WhiteNoise); the demo
        # and the tests use the app folders directly.
        "BACKEND": "casework.storage.StaticStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# Demo and development: WhiteNoise serves from the app folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- Cache (rate limits, the workers' heartbeat): shared by every process in production and
# in the demo, never per-process memory there: REDIS_URL (DESIGN §9), otherwise the database
# cache table (`manage.py createcachetable`, run by bin/bootstrap run and serve). Development
# mode (a bare manage.py) keeps memory, so that no command needs the cache table.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "casework.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
    # Sessions are read from Redis and written to both, the database staying the record
    # (casework.sessions): a page with a session cookie (every officer's, a tracked case's)
    # costs no session query.
    SESSION_ENGINE = "casework.sessions"
elif PRODUCTION or DEMO:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "casework_cache",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work: Django's tasks framework (django-tasks backport of Django 6's
# django.tasks) with the database backend; `manage.py db_worker` runs the jobs, and several
# workers claim them with row locks (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "long"],
    }
}
# The scheduler (`manage.py scheduler`) enqueues run_schedule this often (seconds; 0: never,
# e.g. when a systemd timer runs `manage.py scheduler --once` instead).
SCHEDULE_INTERVAL_SECONDS = int(os.environ.get("SCHEDULE_INTERVAL_SECONDS", "300"))
# A job a worker claimed is taken up again when its lease (started + this many seconds) has
# ended: its worker died (workflows.job_leases, swept by run_schedule). Far longer than the
# longest live job (a 500-page OCR), so a live worker always finishes first.
JOB_LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "3600"))
# A record or case-file job is enqueued again at most this many times, then marked failed.
JOB_LEASE_MAX_RETRIES = int(os.environ.get("JOB_LEASE_MAX_RETRIES", "2"))
# /healthz: a worker heartbeat older than this is reported stale.
HEARTBEAT_MAX_AGE_SECONDS = int(os.environ.get("HEARTBEAT_MAX_AGE_SECONDS", "180"))
# /healthz answers 503 when DATA_DIR has less free space than this (bytes).
HEALTH_MIN_FREE_BYTES = int(os.environ.get("HEALTH_MIN_FREE_BYTES", str(1024**3)))

# --- Security (all from the environment; docs/DEPLOY.md lists the production values) ----------
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = _env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
# Behind nginx or the bureau's proxy: "HTTP_X_FORWARDED_PROTO,https" — only when the proxy
# always sets (and overwrites) that header.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _header, _value = os.environ["SECURE_PROXY_SSL_HEADER"].split(",", 1)
    SECURE_PROXY_SSL_HEADER = (_header.strip(), _value.strip())
# /healthz is asked over plain HTTP by the load balancer on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
# Over HTTPS in production the cookies carry the __Host- prefix: the browser then accepts them
# only with Secure, Path=/ and no Domain, so neither a sibling sub-domain nor a plain-HTTP
# page can plant or overwrite the session or the CSRF cookie (cookie tossing).
if PRODUCTION and SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
if PRODUCTION and CSRF_COOKIE_SECURE:
    CSRF_COOKIE_NAME = "__Host-csrftoken"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Logging: everything to stderr (journald or the terminal collects it), each line with
# the request id; server errors with their traceback even when DEBUG is off; a security log.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "casework.logging.RequestIdFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_id"],
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # django.request logs 5xx with exc_info: the traceback reaches stderr whatever DEBUG.
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "casework.security": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # WeasyPrint logs every rendering step at INFO ("Step 1 - Fetching and parsing HTML"):
        # noise in the demo's and the workers' output; its warnings still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# --- Casework settings -------------------------------------------------------------
# Case number format; fields: year, seq (gap-free per organ and year).
CASE_NUMBER_FORMAT = os.environ.get("CASE_NUMBER_FORMAT", "{year}-{seq:04d}")
# Attachments: size cap in bytes.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# Online corrections from the tracking page (Art 30): files per submission, submissions per case.
CORRECTION_MAX_FILES = int(os.environ.get("CORRECTION_MAX_FILES", "5"))
CORRECTION_MAX_SUBMISSIONS = int(os.environ.get("CORRECTION_MAX_SUBMISSIONS", "3"))
# 国办函〔2020〕109号: whether the fee period (notice sent → payment) is excluded from the
# 20-working-day reply limit is UNCONFIRMED (LAW.md §2.4); default "paused" per DESIGN §4.
FEE_PAUSES_CLOCK = os.environ.get("FEE_PAUSES_CLOCK", "1") == "1"
# How table 三 counts a request of several items is UNCONFIRMED (LAW.md §1.8, §3.1): "main"
# counts the application once under its derived disposition, "per_item" counts every item
# (casework.item_report).
MULTI_ITEM_REPORT_RULE = os.environ.get("MULTI_ITEM_REPORT_RULE", "main")
# Supervision: a case is "due soon" with at most this many working days left.
DUE_SOON_WORKING_DAYS = int(os.environ.get("DUE_SOON_WORKING_DAYS", "3"))
# Where users of the site can get its source code (AGPL-3.0 section 13; README "Licence"):
# every page links it when set.
SOURCE_CODE_URL = os.environ.get("SOURCE_CODE_URL", "")
# Reminders to the assignee this many working days before a deadline (comma-separated).
REMINDER_WORKING_DAYS = os.environ.get("REMINDER_WORKING_DAYS", "5,1").split(",")
# The divisions' internal due date defaults to this many working days before the reply is due.
# Art 31(3): an ordinary letter's receipt is confirmed promptly; later than this many working
# days after arrival, the office records why (flagged on the case and the dashboard).
CONFIRMATION_WORKING_DAYS = int(os.environ.get("CONFIRMATION_WORKING_DAYS", "5"))
# Art 30: the correction deadline the 告知补正 form proposes, in working days after today
# (casework.lifecycle.form_defaults; the officer may change it).
CORRECTION_DEADLINE_WORKING_DAYS = int(os.environ.get("CORRECTION_DEADLINE_WORKING_DAYS", "15"))
DIVISION_DUE_WORKING_DAYS_BEFORE = int(os.environ.get("DIVISION_DUE_WORKING_DAYS_BEFORE", "5"))
# A step whose effective date lies more than this many working days before the day it is
# entered (补录/倒签) needs a recorded reason and is listed on the supervision dashboard.
BACKDATE_REASON_WORKING_DAYS = int(os.environ.get("BACKDATE_REASON_WORKING_DAYS", "2"))

# Every published audit anchor is appended here (0600), outside the database; `verify_audit`
# checks the latest one by default (casework/anchors.py).
AUDIT_ANCHOR_FILE = Path(os.environ.get("AUDIT_ANCHOR_FILE", DATA_DIR / "anchors" / "anchors.log"))
# Art 36: the reasons of a refusal, a 36(4) search record and a 36(5) contact are substance,
# never placeholders; a refusal's reasons shorter than this many characters are refused
# (casework.decision_rules).
REASON_MIN_CHARS = int(os.environ.get("REASON_MIN_CHARS", "10"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "workflows.api.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "workflows.api.tokens.TokenScopePermission",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "workflows.api.views.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Rows per page of the API's lists (a client may ask for fewer, or up to 100, with page_size).
API_PAGE_SIZE = int(os.environ.get("API_PAGE_SIZE", "50"))
SPECTACULAR_SETTINGS = {
    "TITLE": "依申请公开办理 API",
    "DESCRIPTION": "Create applications, read cases and fire lifecycle transitions (DESIGN §3).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Two transitions take a "method" of different kinds: name each choice set once.
    "ENUM_NAME_OVERRIDES": {
        "FeeMethodEnum": "casework.choices.FeeMethod",
        "DeliveryMethodEnum": "casework.choices.DeliveryMethod",
    },
}

# --- Letters (GB/T 9704-2012) -------------------------------------------------------------
# Font families by role; a bureau with licensed fonts sets e.g. LETTER_FONT_TITLE=方正小标宋简体.
LETTER_FONTS = {
    "title": os.environ.get("LETTER_FONT_TITLE", "Noto Serif CJK SC"),
    "body": os.environ.get("LETTER_FONT_BODY", "Noto Serif CJK SC"),
    "heading": os.environ.get("LETTER_FONT_HEADING", "Noto Sans CJK SC"),
}
LETTER_ASSET_DIR = BASE_DIR / "letters" / "assets"
# Document numbers (文号): "{prefix}〔{year}〕{seq}号"; the prefix is the organ's setting.
LETTER_NUMBER_FORMAT = "{prefix}〔{year}〕{seq}号"

# --- E-mail ------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "依申请公开办理系统 <noreply@example.gov.cn>"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", False)
# A hung SMTP server must not hold a worker for ever (seconds).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# A notification claimed by a worker that died is sent again after this many seconds; far
# longer than EMAIL_TIMEOUT, so a live worker always finishes first.
NOTIFICATION_LEASE_SECONDS = int(os.environ.get("NOTIFICATION_LEASE_SECONDS", "600"))
# Public address of the site, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Applicant portal: failed query attempts allowed per window before a pause.
PORTAL_MAX_FAILURES = int(os.environ.get("PORTAL_MAX_FAILURES", "5"))
PORTAL_FAILURE_WINDOW_SECONDS = int(os.environ.get("PORTAL_FAILURE_WINDOW_SECONDS", "900"))
# An online application's receipt (number and query code) is shown again to the browser that
# submitted it for this long (a double click, a reload); a second post of the same form waits
# at most PORTAL_SUBMIT_WAIT_SECONDS for the first (workflows.portal.receipts).
PORTAL_RECEIPT_SECONDS = int(os.environ.get("PORTAL_RECEIPT_SECONDS", "1800"))
PORTAL_SUBMIT_WAIT_SECONDS = int(os.environ.get("PORTAL_SUBMIT_WAIT_SECONDS", "15"))
# "Forgot the query code": new codes e-mailed per case number a day and per client an hour.
PORTAL_REISSUE_MAX_PER_CASE = int(os.environ.get("PORTAL_REISSUE_MAX_PER_CASE", "3"))
PORTAL_REISSUE_MAX_PER_CLIENT = int(os.environ.get("PORTAL_REISSUE_MAX_PER_CLIENT", "10"))

# --- Responsive records (letters.records): limits and the redaction engine -----------------
RECORDS_MAX_BYTES = int(os.environ.get("RECORDS_MAX_BYTES", str(50 * 1024 * 1024)))
RECORDS_MAX_PAGES = int(os.environ.get("RECORDS_MAX_PAGES", "500"))
# Decompression bombs: an image (or a page rendered at RECORDS_RENDER_DPI) over this many
# pixels is refused before it is decoded. 60 MP is an A0 sheet at 150 dpi.
RECORDS_MAX_IMAGE_PIXELS = int(os.environ.get("RECORDS_MAX_IMAGE_PIXELS", str(60_000_000)))
RECORDS_RENDER_DPI = int(os.environ.get("RECORDS_RENDER_DPI", "150"))
RECORDS_PREVIEW_DPI = int(os.environ.get("RECORDS_PREVIEW_DPI", "80"))
RECORDS_OCR_DPI = int(os.environ.get("RECORDS_OCR_DPI", "150"))
RECORDS_OCR_LANG = os.environ.get("RECORDS_OCR_LANG", "chi_sim")
RECORDS_OCR_WORKERS = int(os.environ.get("RECORDS_OCR_WORKERS", "2"))
RECORDS_OCR_BATCH = int(os.environ.get("RECORDS_OCR_BATCH", "10"))  # pages per tesseract run
RECORDS_OCR_TIMEOUT = int(os.environ.get("RECORDS_OCR_TIMEOUT", "120"))
RECORDS_CONVERT_TIMEOUT = int(os.environ.get("RECORDS_CONVERT_TIMEOUT", "180"))
# Lay an OCR text layer over the released pages (read from the redacted pictures).
RECORDS_RELEASE_TEXT_LAYER = os.environ.get("RECORDS_RELEASE_TEXT_LAYER", "1") == "1"
# Run record jobs in the request's thread after commit (tests) or in a background thread.
# --- Staff authentication (issue 16) -----------------------------------------------------
# Lock-out (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account FROM ONE
# address, that account+address pair is refused for the cool-off. Keyed on the pair, so a
# stranger guessing from elsewhere never locks an officer out at the officer's own desk.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address from the one header the bureau's proxy sets (TRUSTED_PROXY_HEADER), as the
# public pages' rate limits use: behind a proxy, REMOTE_ADDR would be the proxy for everyone.
AXES_CLIENT_IP_CALLABLE = "casework.portal.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "workflows.accounts.views.locked_out"
AXES_VERBOSE = False
# Sessions: logged out after SESSION_IDLE_SECONDS without a request and, in any case,
# SESSION_ABSOLUTE_SECONDS after the log-in (workflows.accounts.middleware).
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(10 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# Second factor (django-otp: TOTP app + one-time recovery codes): required for these groups
# and for superusers while the list is not empty; comma-separated group names.
# OTP_REQUIRED_GROUPS="" switches it off; the demo (CASEWORK_MODE=demo) is off by default.
# Liaison officers (联络员) are among them: their pages show applicants' phones and e-mails.
_OTP_DEFAULT_GROUPS = "登记员,公开办审核员,公开办负责人,督办,系统管理员,联络员"
OTP_REQUIRED_GROUPS = [
    g.strip()
    for g in os.environ.get("OTP_REQUIRED_GROUPS", "" if DEMO else _OTP_DEFAULT_GROUPS).split(",")
    if g.strip()
]
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "依申请公开办理系统")
OTP_RECOVERY_CODES = 10
# API tokens (workflows.api.tokens.ApiToken): default and longest lifetime in days.
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "365"))

# --- Web hardening (issue 16) ---------------------------------------------------------------
from csp.constants import NONCE, NONE, SELF  # noqa: E402


def _inline_style_hashes(template: Path) -> list[str]:
    """CSP hashes of a template's static <style> blocks: the 500 page is rendered without a
    request, so it cannot carry a nonce; its fixed style block is allowed by its hash."""
    import base64
    import hashlib
    import re

    text = template.read_text(encoding="utf-8") if template.exists() else ""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"
        for css in re.findall(r"<style>(.*?)</style>", text, flags=re.S)
    ]


# Content-Security-Policy (django-csp): no inline script anywhere (the pages have none); the
# few <style> blocks carry the request's nonce, style attributes are not allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE, *_inline_style_hashes(BASE_DIR / "templates" / "500.html")],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
# Pages with personal data whatever the session: the applicant's tracking pages (and the form that
# echoes an application back) and the API (token clients are only known inside the view).
# Every page of a signed-in user is no-store as well.
NO_STORE_PATH_PREFIXES = ("/track/", "/apply/", "/verify/", "/api/")

# The rate limits' counters live in the default cache (CACHES above: Redis in production, the
# database cache in the demo), shared by all worker processes.
# The client's address comes from this request.META key only: REMOTE_ADDR without a proxy;
# behind the bureau's reverse proxy e.g. HTTP_X_REAL_IP, which the proxy always overwrites.
TRUSTED_PROXY_HEADER = (
    os.environ.get("TRUSTED_PROXY_HEADER", "REMOTE_ADDR").strip() or "REMOTE_ADDR"
)
# Behind a proxy (SECURE_PROXY_SSL_HEADER set) REMOTE_ADDR is the proxy's own address for every
# caller: the lock-out and the public pages' limits would then count the whole public as one
# client (one stranger's wrong passwords lock the officer out at his desk). Production refuses
# to start that way; docs/DEPLOY.md has nginx set X-Real-IP (TRUSTED_PROXY_HEADER=HTTP_X_REAL_IP).
if (
    PRODUCTION
    and os.environ.get("SECURE_PROXY_SSL_HEADER")
    and TRUSTED_PROXY_HEADER == "REMOTE_ADDR"
):
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_HEADER must be set behind a proxy (SECURE_PROXY_SSL_HEADER is set), e.g. "
        "TRUSTED_PROXY_HEADER=HTTP_X_REAL_IP with nginx's `proxy_set_header X-Real-IP "
        "$remote_addr;`; see docs/DEPLOY.md."
    )
# Tracking: failures per (client, case number) before that pair must wait; the wait doubles
# with each further failure, up to the maximum. The applicant with the right code is never
# locked out by someone else's failures.
PORTAL_BACKOFF_BASE_SECONDS = int(os.environ.get("PORTAL_BACKOFF_BASE_SECONDS", "30"))
PORTAL_BACKOFF_MAX_SECONDS = int(os.environ.get("PORTAL_BACKOFF_MAX_SECONDS", "3600"))
# Tracking attempts per client and window, whatever the case numbers.
PORTAL_CLIENT_MAX_ATTEMPTS = int(os.environ.get("PORTAL_CLIENT_MAX_ATTEMPTS", "30"))
# Online applications: per client and hour, a CAPTCHA after the first few, a hard cap after.
APPLY_FREE_SUBMISSIONS = int(os.environ.get("APPLY_FREE_SUBMISSIONS", "2"))
APPLY_MAX_PER_HOUR = int(os.environ.get("APPLY_MAX_PER_HOUR", "10"))
# Catalogue look-ups while the subject is typed on /apply/ (workflows.catalogue.public).
CATALOGUE_MATCH_PER_MINUTE = int(os.environ.get("CATALOGUE_MATCH_PER_MINUTE", "30"))
CAPTCHA_FONT_PATH = os.environ.get(
    "CAPTCHA_FONT_PATH", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
)
CAPTCHA_LENGTH = 5
# Uploads: read at most this much of one request; the upload handler stops reading a file
# at ATTACHMENT_MAX_BYTES and refuses a declared body past the total before reading it.
UPLOAD_MAX_REQUEST_BYTES = int(
    os.environ.get("UPLOAD_MAX_REQUEST_BYTES", str(5 * ATTACHMENT_MAX_BYTES + 1024 * 1024))
)
FILE_UPLOAD_HANDLERS = [
    "casework.attachments.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger files go to a temporary file
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # non-file fields and JSON bodies
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["rest_framework.permissions.IsAuthenticated"]
