"""Settings of the Kooperationsportal.

Every deployment-specific value comes from the environment (django-environ). The defaults are
the embedded ones of `make run` — SQLite under var/, Celery inline, e-mail to the console — and
the insecure ones among them apply only while DEBUG is on.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="nur-fuer-die-entwicklung-nicht-geheim")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY fehlt oder ist kürzer als 50 Zeichen. Ohne DEBUG=true muss die Umgebung "
            "einen langen Zufallswert setzen, z. B. mit: "
            'python -c "import secrets; print(secrets.token_urlsafe(64))"'
        )

# Former keys, still accepted after a rotation (sessions, signed links, second factors until
# `manage.py mfa_rotate_keys` has re-encrypted them).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute address of the portal, for links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

PORTAL_NAME = env.str("PORTAL_NAME", default="Kooperationsportal")
COOPERATION_NAME = env.str("COOPERATION_NAME", default="Interkommunale Kooperation Digitalisierung")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_filters",
    "csp",
    "outbox",
    "kooperation",
    "partners",
    "initiatives",
    "positions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "kooperation.middleware.SessionLifetimeMiddleware",
    "kooperation.middleware.MFARequiredMiddleware",
    "kooperation.middleware.PrivateCacheControlMiddleware",
    "initiatives.caching.OwnChangesMiddleware",
]

ROOT_URLCONF = "kooperation.urls"
WSGI_APPLICATION = "kooperation.wsgi.application"

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
                "kooperation.context_processors.portal",
            ],
        },
    },
]

# Database: https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
_DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'kooperation.sqlite3'}"
try:
    DATABASES = {"default": env.db_url("DATABASE_URL", default=_DEFAULT_DATABASE_URL)}
except (ImproperlyConfigured, ValueError, KeyError) as error:
    raise ImproperlyConfigured(
        f"DATABASE_URL ist ungültig ({error}). Erwartet wird z. B. "
        "postgres://benutzer:passwort@host:5432/datenbank oder sqlite:////pfad/datei.sqlite3"
    ) from None
if DATABASES["default"].get("ENGINE") not in (
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
):
    raise ImproperlyConfigured(
        "DATABASE_URL muss auf PostgreSQL (postgres://…) oder SQLite (sqlite:///…) zeigen."
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite under the development server: wait for a lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_ADAPTER = "partners.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {
    "signup": "partners.forms.SignupForm",
    "reset_password": "partners.forms.ResetPasswordForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# One address per account: a new one replaces the old once it is confirmed (nobody collects
# addresses that are not theirs): https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "
# A person is told by e-mail when their password, e-mail addresses or second factor change
# (templates/account/email/base_notification.txt).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Brute-force protection, counted in the cache (Redis when REDIS_URL is set, so all gunicorn
# workers share the counts): https://docs.allauth.org/en/latest/account/rate_limits.html
# The 6th failed sign-in for one address within 5 minutes answers 429, as does the 11th from
# one IP within a minute. The Django admin's login goes through the same view (kooperation/urls).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    # Not allauth's: the public feedback form of the accessibility statement, and the public
    # application to join (per IP, and per contact address, which receives an e-mail).
    "accessibility_feedback": "5/h/ip",
    "join_application": "10/h/ip,3/d/key",
}
# Second factor: an authenticator app (TOTP) with recovery codes for when the phone is lost:
# https://docs.allauth.org/en/latest/mfa/configuration.html. Department heads and the office's
# admins must set it up before they can do anything else (kooperation.middleware); MFA_REQUIRED
# turns that off, which only the embedded demo of `make run` does. A code is accepted in its own
# 30-second window only and only once (allauth marks it used in the cache).
MFA_ADAPTER = "kooperation.mfa.MFAAdapter"
MFA_FORMS = {
    "activate_totp": "kooperation.mfa.ActivateTOTPForm",
    "authenticate": "kooperation.mfa.AuthenticateForm",
    "reauthenticate": "kooperation.mfa.ReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PORTAL_NAME
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=True)
# How many reverse proxies in front of the portal append to X-Forwarded-For: the client's IP is
# read that many entries from the right (0: REMOTE_ADDR). The compose setup has one (TLS proxy).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch"))]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("kern", BASE_DIR / "node_modules" / "@kern-ux" / "native" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
try:
    vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
except (ImproperlyConfigured, ValueError, KeyError) as error:
    raise ImproperlyConfigured(
        f"EMAIL_URL ist ungültig ({error}). Erwartet wird z. B. "
        "smtp+tls://benutzer:passwort@mail.example.de:587 oder consolemail://"
    ) from None
# Seconds a connection to the mail server may hang before the outbox counts an attempt as failed.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{PORTAL_NAME} <portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "
# The cooperation's office: reports of barriers go there (they are in the admin in any case).
MANAGERS = [("Geschäftsstelle", email) for email in env.list("OFFICE_EMAIL", default=[])]

# Redis: broker for Celery and the shared cache. Without it, tasks run inline.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "REDIS_URL ist ungültig. Erwartet wird z. B. redis://127.0.0.1:6379/0"
    )

# "default": security state (rate limits, used TOTP codes, sent join forms) in the database
# (table from migration kooperation 0005): never evicted, untouched by Redis outages. "pages":
# what is cached only for speed, on an evicting Redis; its errors are misses (kooperation.cache).
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default=REDIS_URL)
# Seconds a cache call may wait for Redis: a Redis that is gone must not hold pages up.
_CACHE_REDIS_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kooperation_security_state",
        # Expired entries are deleted every hour (kooperation.tasks.security_state_expire); the
        # cache culls live ones only beyond this many, far more than any real traffic keeps.
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    },
    "pages": (
        {
            "BACKEND": "kooperation.cache.DegradingRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "OPTIONS": _CACHE_REDIS_OPTIONS,
        }
        if REDIS_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
    ),
}
# Seconds a cached page may be shown after a change it misses, while one request renders it
# anew (initiatives.caching); the person who made the change sees it at once.
PAGES_STALE_SECONDS = env.float("PAGES_STALE_SECONDS", default=3)

# Celery, as in cookiecutter-django: https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A task not acknowledged within this time is delivered again by Redis; it must be longer
# than the longest task (the hard time limit above).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,
    # kombu: https://docs.celeryq.dev/projects/kombu/en/stable/reference/kombu.transport.redis.html
    "socket_connect_timeout": 1,
    # A Redis that accepts but does not answer: longer than the workers' BRPOP (1 second).
    "socket_timeout": 3,
    "max_retries": 1,
    "interval_start": 0,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing fails fast when the broker is down; the outbox sweep enqueues the job later:
# https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-publish-retry-policy
CELERY_BROKER_CONNECTION_TIMEOUT = 1
_PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
CELERY_TASK_PUBLISH_RETRY_POLICY = {**_PUBLISH_RETRY, "interval_max": 0.1}
# The digests: daily every morning, weekly on Monday morning, in CELERY_TIMEZONE (Berlin).
CELERY_BEAT_SCHEDULE = {
    "digest-daily": {
        "task": "kooperation.tasks.run_digests",
        "schedule": crontab(minute=0, hour=6),
        "args": ["daily"],
    },
    "digest-weekly": {
        "task": "kooperation.tasks.run_digests",
        "schedule": crontab(minute=30, hour=6, day_of_week="mon"),
        "args": ["weekly"],
    },
    # Applications whose address was not confirmed within 7 days are deleted.
    "security-state-expire": {
        "task": "kooperation.tasks.security_state_expire",
        "schedule": crontab(minute=45),
    },
    "applications-expire": {
        "task": "partners.tasks.expire_unconfirmed_applications",
        "schedule": crontab(minute=15, hour=3),
    },
    # One reminder to the heads who have not co-signed, two days before a position's deadline.
    "positions-cosigning-reminders": {
        "task": "positions.tasks.send_cosigning_reminders",
        "schedule": crontab(minute=0, hour=7),
    },
    # What a task that gave up (or whose worker hit the hard time limit) left unsent.
    "digest-resume": {
        "task": "kooperation.tasks.resume_digests",
        "schedule": crontab(minute="*/15"),
    },
    # E-mail jobs never enqueued (broker down at the commit) or waiting for their next attempt.
    "outbox-sweep": {
        "task": "outbox.tasks.sweep_outbox",
        "schedule": crontab(minute="*"),
    },
}

# The outbox (outbox.services): a mail error is tried again after OUTBOX_RETRY_DELAY seconds,
# doubling up to OUTBOX_RETRY_DELAY_MAX; after OUTBOX_MAX_ATTEMPTS tries the job is failed and
# the office sends it again from the admin ("Erneut senden").
OUTBOX_RETRY_DELAY = env.int("OUTBOX_RETRY_DELAY", default=60)
OUTBOX_RETRY_DELAY_MAX = 6 * 60 * 60
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)

# Digest delivery. A worker holds a claimed batch for DIGEST_CLAIM_SECONDS: longer than a task
# may run (the hard time limit), so a claim expires only when its worker is gone. Retries after
# mail errors wait DIGEST_RETRY_DELAY seconds, doubling up to DIGEST_RETRY_DELAY_MAX, which stays
# below the visibility timeout so Redis does not hand a waiting retry to a second worker.
DIGEST_BATCH_SIZE = env.int("DIGEST_BATCH_SIZE", default=500)
DIGEST_CLAIM_SECONDS = CELERY_TASK_TIME_LIMIT + 60
DIGEST_RETRY_DELAY = env.int("DIGEST_RETRY_DELAY", default=60)
DIGEST_RETRY_DELAY_MAX = 15 * 60
# A message the mail server refuses for now (4xx) is tried this often before it counts as failed.
DIGEST_MAX_ATTEMPTS = 5
# A digest covers what happened until this many seconds before its run (see tasks.run_until).
DIGEST_SETTLE_SECONDS = env.int("DIGEST_SETTLE_SECONDS", default=60)
# How long a worker process keeps the news of a digest window for the next batches (seconds).
DIGEST_NEWS_MEMO_SECONDS = env.int("DIGEST_NEWS_MEMO_SECONDS", default=600)
# How long the unsubscribe link in a digest works (seconds): 90 days.
DIGEST_UNSUBSCRIBE_MAX_AGE = 90 * 24 * 60 * 60

# Security. The production values are the defaults; each can be changed by the environment.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page of the portal uses these browser features; none may be used by anything embedded.
# https://github.com/adamchainz/django-permissions-policy
PERMISSIONS_POLICY = {
    name: []
    for name in (  # noqa: SIM905 - one name per line would be 20 lines more
        "accelerometer ambient-light-sensor autoplay bluetooth browsing-topics camera "
        "display-capture encrypted-media geolocation gyroscope hid idle-detection "
        "interest-cohort magnetometer microphone midi payment screen-wake-lock serial usb "
        "xr-spatial-tracking"
    ).split()
}
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Sessions end after SESSION_IDLE_MINUTES without a request (requests extend them, within a
# tenth of that time) and, however active, SESSION_LIFETIME_HOURS after sign-in
# (kooperation.middleware). Signing out deletes the session on the server; deactivating a
# person ends all of theirs (allauth's usersessions keeps the list; people see and end their
# own at /konto/sessions/).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=60) * 60
SESSION_LIFETIME_HOURS = env.int("SESSION_LIFETIME_HOURS", default=12)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# django-csp 4: https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        **{name: {"level": "WARNING"} for name in ("weasyprint.progress", "fontTools")},  # letters
    },
}

# Forms render with KERN UX markup: kooperation/forms.py
FORM_RENDERER = "kooperation.forms.KernFormRenderer"

# The public application to join is refused when sent faster than a person can fill it in.
JOIN_FORM_MIN_SECONDS = env.int("JOIN_FORM_MIN_SECONDS", default=3)
