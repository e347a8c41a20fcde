"""Project settings: one module, every difference between environments comes from
environment variables (DATABASE_URL, SECRET_KEY, DEBUG, DATA_DIR, ...)."""

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext

# Makes generic Django classes (ModelAdmin[Case], QuerySet[Case]) subscriptable at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
# Mutable state (SQLite file, uploaded attachments, issued letters) lives outside the
# code and outside any public folder.
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "viewflow",
    "viewflow.workflow",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "captcha",
    "casework",
    "letters",
    "workflows",
    "letters.records",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (the upload limit depends on who sends), before any view or
    # CSRF check reads the body.
    "casework.middleware.InputGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "casework.middleware.SecurityHeadersMiddleware",
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
            ],
        },
    },
]

WSGI_APPLICATION = "casework.wsgi.application"


def _database_from_env() -> dict[str, object]:
    """SQLite (embedded default) or whatever DATABASE_URL names (PostgreSQL in production)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
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
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"  # never served directly: downloads go through access-checked views

# --- Casework settings -------------------------------------------------------------
# Case number format; fields: year, seq (gap-free per organ and year).
CASE_NUMBER_FORMAT = os.environ.get("CASE_NUMBER_FORMAT", "{year}-{seq:04d}")
# Attachments: size cap in bytes.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# 国办函〔2020〕109号: whether the fee period (notice sent → payment) is excluded from the
# 20-working-day reply limit is UNCONFIRMED (LAW.md §2.4); default "paused" per DESIGN §4.
FEE_PAUSES_CLOCK = os.environ.get("FEE_PAUSES_CLOCK", "1") == "1"
# Supervision: a case is "due soon" with at most this many working days left.
DUE_SOON_WORKING_DAYS = int(os.environ.get("DUE_SOON_WORKING_DAYS", "3"))
# Reminders to the assignee this many working days before a deadline (comma-separated).
REMINDER_WORKING_DAYS = os.environ.get("REMINDER_WORKING_DAYS", "5,1").split(",")
# The divisions' internal due date defaults to this many working days before the reply is due.
# Art 31(3): an ordinary letter's receipt is confirmed promptly; later than this many working
# days after arrival, the office records why (flagged on the case and the dashboard).
CONFIRMATION_WORKING_DAYS = int(os.environ.get("CONFIRMATION_WORKING_DAYS", "5"))
DIVISION_DUE_WORKING_DAYS_BEFORE = int(os.environ.get("DIVISION_DUE_WORKING_DAYS_BEFORE", "5"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
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
# Public address of the site, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Applicant portal: failed query attempts allowed per window before a pause.
PORTAL_MAX_FAILURES = int(os.environ.get("PORTAL_MAX_FAILURES", "5"))
PORTAL_FAILURE_WINDOW_SECONDS = int(os.environ.get("PORTAL_FAILURE_WINDOW_SECONDS", "900"))

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
RECORDS_JOBS_INLINE = os.environ.get("RECORDS_JOBS_INLINE", "0") == "1"

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
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
# Pages with personal data whatever the session: the applicant's tracking pages (and the form that
# echoes an application back) and the API (token clients are only known inside the view).
# Every page of a signed-in user is no-store as well.
NO_STORE_PATH_PREFIXES = ("/track/", "/apply/", "/verify/", "/api/")

# Shared cache for the public pages' rate limits: every worker process sees the same counters.
# CACHE_URL=redis://127.0.0.1:6379/1 in production; the demo uses the database cache
# (bin/bootstrap runs createcachetable).
_cache_url = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url.startswith("redis")
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "casework_cache",
        }
    )
}
# The client's address comes from this request.META key only: REMOTE_ADDR without a proxy;
# behind the bureau's reverse proxy e.g. HTTP_X_REAL_IP, which the proxy always overwrites.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "REMOTE_ADDR")
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
