"""Settings, read from the environment (see README.md, "Configuration").

Production mode is DEBUG unset or false: then SECRET_KEY, ALLOWED_HOSTS and SITE_URL must be
given and the secure-cookie / HSTS / SSL settings are on, so `manage.py check --deploy` is clean.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("TALENTSTATION_TESTING", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "talentstation.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "django_tasks_db",
    "talentstation.login_protection.LoginProtectionConfig",  # django-axes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "talentstation",
    "stations",
    "assessments",
    "awards",
]

MIDDLEWARE = [
    # First: the request id and the access line cover every response, static files included.
    "talentstation.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "talentstation.request_checks.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "talentstation.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "talentstation.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "talentstation.middleware.SessionTimeoutMiddleware",
    "talentstation.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # A document refused for its size or time becomes a clear page (talentstation.documents).
    "talentstation.documents.DocumentRefusalMiddleware",
    # Who downloaded a file or an export (talentstation.access_log).
    "talentstation.access_log.AccessLogMiddleware",
]

ROOT_URLCONF = "talentstation.urls"
WSGI_APPLICATION = "talentstation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "talentstation.context_processors.portal",
                "talentstation.context_processors.notifications",
            ],
        },
    },
]

# Form widgets may use project templates (e.g. the admin's protected file input).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"


# SQLite is the embedded default; PostgreSQL is the production database (DATABASE_URL).
def database_settings(url):
    """The database connection settings for ``url`` (see dj-database-url)."""
    config = dj_database_url.parse(
        url,
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Concurrent saves wait for each other instead of failing with "database is locked":
        # a transaction takes the write lock when it begins (IMMEDIATE), so none fails when
        # turning a read into a write; a writer waits up to 20 s for the lock (busy timeout);
        # in WAL mode readers go on while one writes.
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {}).update(
            {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            }
        )
    return config


DATABASES = {
    "default": database_settings(env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}

# A read replica for the reports (dashboard, exports) is not routed yet: every query goes to
# "default" (README "How it grows past one machine" says what the next step is).

# The cache, shared by every app server in production: Redis when REDIS_URL is set (e.g.
# redis://127.0.0.1:6379/1), else a table in the database (`manage.py createcachetable` in the
# deployment steps); per process in development and tests. The portal keeps nothing that must
# survive in it: sessions, login lockouts (django-axes) and rate limits
# (talentstation.ratelimit) are rows in the database, shared by every app server anyway.
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "talentstation",
        }
    }
elif DEBUG or TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "talentstation_cache",
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Background tasks (django.tasks; talentstation/tasks.py, README "Background worker"). In
# production the queue is a table of the database (django-tasks-db), shared by every app server
# and worked by `manage.py db_worker` processes; in development and tests ("immediate") a task
# runs in the process that enqueues it, so no worker is needed.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env("TASKS_BACKEND", "immediate" if DEBUG or TESTING else "database")
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND),
        "QUEUES": ["default"],
    }
}
# A task RUNNING for longer than this is taken for one whose worker died: `manage.py
# send_outbox` (cron, every minute) puts it back in the queue. Longer than any task runs.
TASKS_STALE_AFTER = int(env("TASKS_STALE_AFTER_SECONDS", "1800"))
# An e-mail being sent is not taken by another sender for this long (shorter than the above).
OUTBOX_CLAIM_LEASE = int(env("OUTBOX_CLAIM_LEASE_SECONDS", "600"))
# The outbox sweep sends the pending e-mails due for longer than this (whose own task was lost,
# e.g. queued by a batch or after a crash); the others are left to their tasks.
OUTBOX_SWEEP_GRACE = int(env("OUTBOX_SWEEP_GRACE_SECONDS", "300"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "talentstation.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "talentstation.auth.EmailOrMobileBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "talentstation.validators.PasswordComplexityValidator",
        "OPTIONS": {"min_classes": 3, "max_run": 3},
    },
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login lockout (talentstation/auth.py, README "Login lockout"). The database handler keeps
# attempts in the shared database, so every app server behind a load balancer sees the same
# counts. An account is locked after AXES_FAILURE_LIMIT failures whichever identifier is typed
# (AXES_USERNAME_CALLABLE maps them to the account), a client address after
# LOGIN_CLIENT_FAILURE_LIMIT failures across accounts; both for AXES_COOLOFF_HOURS. Failed
# attempts during a lock are not counted, so the lock ends on time.
AXES_HANDLER = "talentstation.auth.AccountAndClientLockoutHandler"
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
LOGIN_CLIENT_FAILURE_LIMIT = int(env("LOGIN_CLIENT_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "talentstation.auth.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "talentstation.auth.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
# The client address (talentstation.clients.client_ip): REMOTE_ADDR, or behind
# TRUSTED_PROXY_COUNT reverse proxies that append to X-Forwarded-For, the address that many
# hops back. The login throttling, the rate limits and the kept uploads all use it.
TRUSTED_PROXY_COUNT = int(env("AXES_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "talentstation.clients.client_ip"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# axes.W006 asks for "ip_address" in AXES_LOCKOUT_PARAMETERS; the client address has its own
# threshold in the handler instead (with one shared limit, one account's failures would lock
# everyone behind the same address).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Two-factor login (talentstation/two_factor.py, README "Logging in and sessions"): the roles
# (bureau_staff, official, expert, applicant) that must use an authenticator app. In production
# mode bureau staff and officials unless set (an empty value turns it off); nobody in
# development and tests unless set. Everyone else may turn it on from the account menu.
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "TWO_FACTOR_REQUIRED_ROLES", "" if DEBUG or TESTING else "bureau_staff,official"
)
# The name authenticator apps show for the portal's entry.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "福州高新区人才驿站")
# django-otp's throttling of wrong codes: 1, 2, 4, 8 … seconds between tries after failures.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Language and time: Chinese first, Shanghai time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))


# Uploaded files live outside the static path and are only served through views that check
# access (talentstation.uploads.serve_protected); MEDIA_URL is deliberately not routed and no
# storage gives out public URLs. One server: the file system under MEDIA_ROOT. Several app
# servers: an S3-compatible bucket (django-storages) when AWS_STORAGE_BUCKET_NAME is set, with
# private objects (README "How it grows past one machine").
def media_storage():
    """The storage of uploaded files, as the environment says (tests/test_s3_storage.py)."""
    bucket = env("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # Empty: AWS itself; else e.g. https://minio.bureau.internal:9000 (MinIO) or a
            # cloud's S3-compatible service.
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env("AWS_S3_REGION_NAME", "") or None,
            # Empty keys: boto3 finds credentials itself (instance role, ~/.aws).
            "access_key": env("AWS_ACCESS_KEY_ID", "") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", "") or None,
            # "path" for most self-hosted S3 servers, "virtual" for AWS, "auto": boto3 picks.
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", "auto"),
            "signature_version": "s3v4",
            "location": env("AWS_LOCATION", ""),  # a key prefix inside the bucket
            # Objects are private; empty sends no ACL (for buckets that refuse ACLs).
            "default_acl": env("AWS_DEFAULT_ACL", "private") or None,
            "querystring_auth": True,  # were a URL ever made, it would be signed and expire
            "querystring_expire": 300,
            "file_overwrite": False,  # like the file system: a name in use gets a suffix
            "max_memory_size": 2 * 1024 * 1024,  # larger downloads spool to a temporary file
        },
    }


STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development and tests WhiteNoise serves straight from the finders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_PERMISSIONS = 0o640
# Audit records (state changes, admin history, field history, access log; talentstation.audit)
# are kept forever unless AUDIT_RETENTION_DAYS is set: at least 183 days (six months, by
# policy; a system check error below that); `manage.py purge_audit` deletes older ones.
AUDIT_RETENTION_DAYS = int(env("AUDIT_RETENTION_DAYS")) if env("AUDIT_RETENTION_DAYS") else None
# simple-history's pages are view only (talentstation.admin_tools.HistoryAdmin).
SIMPLE_HISTORY_REVERT_DISABLED = True
# `manage.py backup` writes its archives here unless given --output (talentstation.backups).
BACKUP_DIR = Path(env("BACKUP_DIR", BASE_DIR / "backups"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: SMTP in production (EMAIL_HOST, default a local relay on localhost:25); in
# development the console shows the mails unless EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "人才驿站 <noreply@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST_SETTING = env("EMAIL_HOST", "" if DEBUG or TESTING else "localhost")
if EMAIL_HOST_SETTING:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST_SETTING,
                "port": int(env("EMAIL_PORT", "25")),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": int(env("EMAIL_TIMEOUT", "30")),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
        }
    }

# Contact shown to units that need help (e.g. a credit code already registered).
BUREAU_CONTACT = env("BUREAU_CONTACT", "福州高新区人力资源和社会保障局人才服务窗口")

# Abuse limits of the anonymous forms, per client (talentstation.clients: the address behind
# AXES_PROXY_COUNT proxies, also used by the login throttling). Rate limits are "N/period"
# rules (s, m, h, d; e.g. "3/h", "20/15m") counted in the database (talentstation.ratelimit).
RATE_LIMITS = {
    "objection": env_list("RATE_LIMIT_OBJECTION", "3/h,10/d"),
    "registration": env_list("RATE_LIMIT_REGISTRATION", "5/h,20/d"),
    "password_reset": env_list("RATE_LIMIT_PASSWORD_RESET", "5/h,20/d"),
}
# Uploads kept for forms with errors (talentstation.uploads.KeepUploadsMixin, under
# MEDIA_ROOT/pending/, purged after a day): beyond these the file is not kept.
PENDING_UPLOADS_PER_CLIENT = int(env("PENDING_UPLOADS_PER_CLIENT", "5"))
PENDING_UPLOADS_TOTAL_FILES = int(env("PENDING_UPLOADS_TOTAL_FILES", "1000"))
PENDING_UPLOADS_TOTAL_BYTES = int(env("PENDING_UPLOADS_TOTAL_MB", "500")) * 1024 * 1024

# Official documents (talentstation.documents): rendering is bounded. A document whose HTML is
# longer than DOCUMENT_MAX_HTML_CHARS is refused (413); the PDF is made in a worker process that
# is stopped after DOCUMENT_RENDER_TIMEOUT seconds (503; 0 renders in the web process without a
# limit). Every view gets the refusal page from the middleware, not a 500.
DOCUMENT_MAX_HTML_CHARS = int(env("DOCUMENT_MAX_HTML_CHARS", "60000"))
DOCUMENT_RENDER_TIMEOUT = float(env("DOCUMENT_RENDER_TIMEOUT", "20"))

# Security. Content-Security-Policy with nonces: no inline script without the request's nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions (talentstation/middleware.py): they end SESSION_IDLE_TIMEOUT seconds after the last
# request, and SESSION_COOKIE_AGE seconds after the login whatever the activity. Pages warn
# SESSION_TIMEOUT_WARNING seconds before the idle timeout; a form posted after the end is kept
# for SESSION_KEPT_FORM_AGE seconds, until the same user logs in again.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_TIMEOUT_WARNING = int(env("SESSION_TIMEOUT_WARNING", "120"))
SESSION_KEPT_FORM_AGE = int(env("SESSION_KEPT_FORM_AGE", str(60 * 60)))
# The language is Chinese unless chosen in the switcher (talentstation.middleware
# .PortalLocaleMiddleware ignores Accept-Language); the choice is kept for a year.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

if not DEBUG and not TESTING:
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Logging (talentstation.logs, README "Logging"): to stdout, one JSON object per line in
# production (LOG_FORMAT=json), readable lines in development (text). Every record of a request
# carries its request id (X-Request-ID from nginx, or a new one; sent back on the response) and
# the user's id. The middleware writes one access line per request (LOG_ACCESS).
LOG_FORMAT = env("LOG_FORMAT", "text" if DEBUG or TESTING else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOG_ACCESS = env_bool("LOG_ACCESS", not (DEBUG or TESTING))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "talentstation.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "talentstation.logs.JsonFormatter"},
        "text": {"()": "talentstation.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default handlers for "django" would print its records a second time.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Each task's start and end (a worker's log); `make run`'s demo runs hundreds of them.
        "django.tasks": {"level": "WARNING" if DEBUG else "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

PORTAL_NAME = _("Fuzhou High-tech Zone Talent Stations")
