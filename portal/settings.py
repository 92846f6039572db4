"""One settings module for every environment; environments differ only by env values.

With nothing set it runs embedded: SQLite under var/, local media files, and a
filesystem broker for Celery so background work runs without Redis.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.accounts.providers.mockvneid.keys import signing_key_pem

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DEMO_MODE = env.bool("DEMO_MODE", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "portal",
    "portal.jobs",
    "portal.accounts",
    "portal.notifications",
    "procedures",
    "dossiers",
    "payments",
    # The simulated bank: remove it (and set PAYMENT_PROVIDER to another gateway) to run without it.
    "payments.providers.mockpay",
    "postal",
    # The simulated post office: remove it (and set COURIER_PROVIDER to another courier) to run without it.
    "postal.providers.mockpost",
    "figures",
    # The simulated national identity provider (VNeID) and the OpenID Connect provider library it is built on:
    # remove both (and set VNEID_ISSUER to the real provider) to run without it.
    "oauth2_provider",
    "portal.accounts.providers.mockvneid",
    # The demo world and the trainer's console (its pages answer 404 unless DEMO_MODE is on).
    "trainer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything that reads the request, after the language is known for its message.
    "portal.middleware.UnsafeInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
            # The guided tour's panel and switch (base.html, footer).
            "libraries": {"tour": "portal.tour"},
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes;
    # IMMEDIATE takes the write lock up front instead of failing on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # A health check is a `SELECT 1` round trip at the start of every request that reuses a connection.
    # Without it a connection broken while idle (the database restarted) fails one request, after which
    # Django closes it (an error marks it unusable); with CONN_MAX_AGE bounding a connection's life that
    # is the better trade for a busy portal. Turn it on where connections are cut often (a proxy's idle
    # timeout shorter than CONN_MAX_AGE).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared in production so throttles hold across processes. It holds only counters that
# may be lost: while Redis is unreachable throttles stop counting (logged) instead of failing requests.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Client address: X-Forwarded-For is believed only as far as our own proxies wrote it ------------
# The number of reverse proxies in front of the portal that append to X-Forwarded-For; 0 = none, use
# the connection's address. portal/client_address.py reads it for throttles, lockouts and logs.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "portal.accounts.backends.LoginLockoutBackend",
    "portal.accounts.backends.PhoneOrNationalIdBackend",
    "portal.accounts.backends.NationalIdentityBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

OTP_TTL_SECONDS = env.int("OTP_TTL_SECONDS", default=300)
OTP_MAX_ATTEMPTS = env.int("OTP_MAX_ATTEMPTS", default=5)
OTP_RESEND_COOLDOWN_SECONDS = env.int("OTP_RESEND_COOLDOWN_SECONDS", default=60)
OTP_MAX_PER_HOUR = env.int("OTP_MAX_PER_HOUR", default=5)

# Login lockout (django-axes, portal/accounts/lockout.py): after LOGIN_FAILURE_LIMIT failures within the
# cool-off, the account and the client address are each refused, even with the right password, until
# LOGIN_LOCKOUT_MINUTES after the last failure. Failures while locked do not extend it; success resets.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal.accounts.lockout.login_identity"
AXES_CLIENT_IP_CALLABLE = "portal.client_address.client_address"
AXES_HANDLER = "portal.accounts.lockout.AccountResetDatabaseHandler"
# Successful logins are not journaled (it would open a session for every API token login).
AXES_DISABLE_ACCESS_LOG = True
# The login page and API answer a lockout themselves (429, the form's error / JSON); AxesMiddleware
# keeps their answer and gives other login paths (the admin's) a plain 429 with the retry time.
AXES_LOCKOUT_CALLABLE = "portal.accounts.lockout.lockout_response"

# --- I18N -----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_STORAGE", default="whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- REST API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.accounts.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    # Throttles count per portal.client_address; this keeps DRF's own get_ident in agreement with it.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "portal.api.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("THROTTLE_AUTH", default="30/min"),
        "register": env.str("THROTTLE_REGISTER", default="20/hour"),
        "otp": env.str("THROTTLE_OTP", default="20/min"),
        "lookup": env.str("THROTTLE_LOOKUP", default="30/min"),
    },
    "PAGE_SIZE": 20,
}
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=72)),
    "AUTO_REFRESH": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DVC Portal API",
    "DESCRIPTION": "Cổng dịch vụ công trực tuyến — REST API v1",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "IntakeChannelEnum": "dossiers.constants.IntakeChannel",
        "CounterIntakeChannelEnum": [("counter", "counter"), ("postal", "postal")],
        "MessageChannelEnum": "portal.notifications.models.Channel",
    },
}

# --- Celery -------------------------------------------------------------------------
# Task defaults (acks late, requeued if the worker dies, retries with capped backoff) are on the
# task class, portal.jobs.base.BackgroundTask; a task that fails for good is kept as a FailedJob.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
# A task taken by a worker that dies unacknowledged is given back after this many seconds (Redis
# default: an hour). It must stay above the longest retry wait (portal.jobs.base.RETRY_BACKOFF_MAX).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=120)
if not REDIS_URL:
    # The filesystem transport deletes a message as it is read, with no visibility timeout: a task lost
    # with its worker is queued again by its periodic sweep (outbox relay, refund retry, thumbnails...).
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Exchange tables (the worker's control/broadcast queues), which kombu otherwise writes to ./control.
        "control_folder": str(_broker_dir / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        # How often a worker looks for such tasks (kombu scans every interval x throttle seconds).
        "unacked_restore_interval": max(1, CELERY_VISIBILITY_TIMEOUT // 12),
        "unacked_restore_throttle": 1,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task still running when the broker connection drops is cancelled: it comes back, acks late.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that enqueues while the broker is down must not hang: fail fast, the outbox relay retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# The database scheduler, which also records that beat is alive for /healthz.
CELERY_BEAT_SCHEDULER = "portal.jobs.beat:HeartbeatScheduler"
CELERY_TIMEZONE = TIME_ZONE

# --- Health (GET /healthz): beat sends a heartbeat task this often; older than the limit is stale ---
HEALTH_HEARTBEAT_SECONDS = env.float("HEALTH_HEARTBEAT_SECONDS", default=15.0)
HEALTH_STALE_AFTER_SECONDS = env.float("HEALTH_STALE_AFTER_SECONDS", default=60.0)

# --- Security -------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers and monitors probe the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # pyHanko warns with a traceback for every signature it cannot trust: for the public verification
        # page that is an ordinary answer ("untrusted"), not a fault of the portal.
        "pyhanko.sign.validation.generic_cms": {"level": "ERROR"},
    },
}

# --- Notifications (SMS / e-mail simulators behind a provider interface) ----------------
NOTIFICATION_PROVIDERS = {
    "sms": env.str("SMS_PROVIDER", default="portal.notifications.providers.SimulatedSmsGateway"),
    "email": env.str("EMAIL_PROVIDER", default="portal.notifications.providers.DjangoEmail"),
    "app": "portal.notifications.providers.InAppInbox",
}
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)
SMS_SIMULATOR_FAILING_NUMBERS = env.list("SMS_SIMULATOR_FAILING_NUMBERS", default=[])
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cổng Dịch vụ công <no-reply@dichvucong.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CELERY_BEAT_SCHEDULE = {
    "relay-queued-messages": {"task": "portal.notifications.tasks.relay_queued_messages", "schedule": 60.0},
    # Expires with its period: heartbeats queued while no worker runs are dropped, not replayed.
    "worker-heartbeat": {
        "task": "portal.jobs.tasks.record_worker_heartbeat",
        "schedule": HEALTH_HEARTBEAT_SECONDS,
        "options": {"expires": HEALTH_HEARTBEAT_SECONDS},
    },
}

# --- Procedures catalog: office hours for the working-day calendar (owned by procedures/) ---
OFFICE_OPENS_AT = env.str("OFFICE_OPENS_AT", default="07:30")
OFFICE_CLOSES_AT = env.str("OFFICE_CLOSES_AT", default="17:00")
OFFICE_TIME_ZONE = env.str("OFFICE_TIME_ZONE", default="Asia/Ho_Chi_Minh")

# --- Dossier attachments (owned by dossiers/uploads.py, dossiers/scanning.py) ----------------
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=50_000_000)
# Memory one image may take once decoded (Pillow keeps RGB in four bytes a pixel): 64 MiB is ~16 MP in colour.
UPLOAD_IMAGE_MAX_DECODED_BYTES = env.int("UPLOAD_IMAGE_MAX_DECODED_BYTES", default=64 * 1024 * 1024)
# Bytes the streams of one PDF may inflate to in all: a small file that unpacks past this is refused.
UPLOAD_PDF_MAX_INFLATED_BYTES = env.int("UPLOAD_PDF_MAX_INFLATED_BYTES", default=100 * 1024 * 1024)
ATTACHMENT_MAX_PDF_PAGES = env.int("ATTACHMENT_MAX_PDF_PAGES", default=200)
ATTACHMENT_SCANNER = env.str("ATTACHMENT_SCANNER", default="dossiers.scanning.NoopScanner")
CELERY_BEAT_SCHEDULE["attachment-thumbnails-sweep"] = {
    "task": "dossiers.tasks.sweep_attachment_thumbnails",
    "schedule": 600.0,
}
CELERY_BEAT_SCHEDULE["flag-overdue-dossiers"] = {
    "task": "dossiers.tasks_overdue.flag_overdue_dossiers",
    "schedule": 900.0,
}

# --- E-results (owned by portal/esign/ and dossiers/services/eresults.py) -------------------------
# The mock certificate authority's keys and certificates: outside the repository and the media files,
# never served. Created by `manage.py esign_init`, or on first use when DEMO_MODE is on.
ESIGN_DIR = env.path("ESIGN_DIR", default=VAR_DIR / "esign")
# Where the QR code on a signed result points (the public verification page); no trailing slash.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Payments (owned by payments/) -------------------------------------------------------------
# The gateway's notice key comes from the environment; a fixed key exists only for DEBUG runs.
PAYMENT_GATEWAY_SECRET = env.str("PAYMENT_GATEWAY_SECRET", default="dev-only-mockpay-secret" if DEBUG else "")
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="payments.providers.mockpay.provider.MockPayProvider")
PAYMENT_EXPIRY_MINUTES = env.int("PAYMENT_EXPIRY_MINUTES", default=60 * 24)
PAYMENT_REFUND_MAX_ATTEMPTS = env.int("PAYMENT_REFUND_MAX_ATTEMPTS", default=5)
PAYMENT_SETTLEMENT_DIR = env.str("PAYMENT_SETTLEMENT_DIR", default="")  # empty: MEDIA_ROOT/settlements
# The simulator's own settings (read only by mockpay/); its periodic jobs are added by mockpay.apps.
MOCKPAY_NOTICE_URL = env.str("MOCKPAY_NOTICE_URL", default="")  # empty: notices are handed over in-process
MOCKPAY_NOTICE_MAX_ATTEMPTS = env.int("MOCKPAY_NOTICE_MAX_ATTEMPTS", default=10)
MOCKPAY_FAILING_REFUNDS = env.int("MOCKPAY_FAILING_REFUNDS", default=0)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] |= {
    "PaymentStatusEnum": "payments.constants.PaymentStatus",
    # A second "status" choice set now exists: name the dossier one too, or it gets a hashed name.
    "DossierStatusEnum": "dossiers.constants.DossierStatus",
    "PaymentMethodEnum": "payments.constants.PaymentMethod",
}
# --- Postal delivery (owned by postal/) ---------------------------------------------------------
# The courier's notice key comes from the environment; a fixed key exists only for DEBUG runs.
POSTAL_WEBHOOK_SECRET = env.str("POSTAL_WEBHOOK_SECRET", default="dev-only-mockpost-secret" if DEBUG else "")
COURIER_PROVIDER = env.str("COURIER_PROVIDER", default="postal.providers.mockpost.provider.MockPostProvider")
# The simulator's own settings (read only by mockpost/); its periodic jobs are added by mockpost.apps.
MOCKPOST_NOTICE_URL = env.str("MOCKPOST_NOTICE_URL", default="")  # empty: notices are handed over in-process
MOCKPOST_NOTICE_MAX_ATTEMPTS = env.int("MOCKPOST_NOTICE_MAX_ATTEMPTS", default=10)
MOCKPOST_FAILED_DELIVERY_PERCENT = env.int("MOCKPOST_FAILED_DELIVERY_PERCENT", default=10)
# 1.0 moves parcels in real hours; a demo may run a day's round in minutes (0.01).
MOCKPOST_TIME_SCALE = env.float("MOCKPOST_TIME_SCALE", default=1.0)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] |= {"ShipmentStatusEnum": "postal.constants.ShipmentStatus"}

CELERY_BEAT_SCHEDULE |= {
    "payments-poll-pending": {"task": "payments.tasks.poll_pending_payments", "schedule": 120.0},
    "payments-expire-unpaid": {"task": "payments.tasks.expire_unpaid_dossiers", "schedule": 300.0},
    "payments-retry-refunds": {"task": "payments.tasks.retry_refunds", "schedule": 900.0},
}

# --- Figures (owned by figures/): the periodic reconciliation recomputes this many recent days ---
FIGURES_RECONCILE_DAYS = env.int("FIGURES_RECONCILE_DAYS", default=7)
# The longest a cached figure lives (figures/cache.py: every change forgets them at once; this bounds one
# whose forgetting was lost while the cache was unreachable). 0 turns the cache off.
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=300)
CELERY_BEAT_SCHEDULE["figures-reconcile-rollups"] = {"task": "figures.tasks.reconcile_rollups", "schedule": 1800.0}

# --- Sign-in with the national electronic identity (VNeID), an OpenID Connect provider (owned by accounts/) ---
# The portal is a relying party: code flow with PKCE, state and nonce, the ID token's RS256 signature checked
# against the provider's published keys. An empty issuer means the simulator mounted at /vneid on this site.
VNEID_ISSUER = env.str("VNEID_ISSUER", default="").rstrip("/")
VNEID_CLIENT_ID = env.str("VNEID_CLIENT_ID", default="dvc-portal")
# No secret, no VNeID button: a fixed one exists only for DEBUG runs.
VNEID_CLIENT_SECRET = env.str("VNEID_CLIENT_SECRET", default="dev-only-vneid-secret" if DEBUG else "")
VNEID_SCOPE = env.str("VNEID_SCOPE", default="openid profile phone")
VNEID_HTTP_TIMEOUT = env.float("VNEID_HTTP_TIMEOUT", default=10.0)
# The ID token claim that carries the personal identification number (CCCD), as the provider names it.
VNEID_NATIONAL_ID_CLAIM = env.str("VNEID_NATIONAL_ID_CLAIM", default="national_id")

# The simulator's own settings (read only by mockvneid/): the client it registers for the portal, and its key.
MOCKVNEID_CLIENT_ID = VNEID_CLIENT_ID
MOCKVNEID_HTTP_REDIRECTS = env.bool("MOCKVNEID_HTTP_REDIRECTS", default=DEBUG)
MOCKVNEID_CLIENT_SECRET = VNEID_CLIENT_SECRET
MOCKVNEID_REDIRECT_URIS = env.list(
    "MOCKVNEID_REDIRECT_URIS",
    # Loopback addresses match on any port (RFC 8252): the demo on 127.0.0.1:8000 and the tests' live servers.
    default=[
        "http://127.0.0.1/accounts/vneid/callback/",
        "http://localhost/accounts/vneid/callback/",
        "http://testserver/accounts/vneid/callback/",
    ],
)
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_DEVICE_GRANT_MODEL = "oauth2_provider.DeviceGrant"
OAUTH2_PROVIDER_GRANT_MODEL = "mockvneid.Grant"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "mockvneid.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "mockvneid.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "mockvneid.IDToken"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    # PEM from the environment, else generated once into var/ (never in the repository).
    "OIDC_RSA_PRIVATE_KEY": signing_key_pem(
        configured=env.str("MOCKVNEID_RSA_PRIVATE_KEY", default=""), path=VAR_DIR / "mockvneid" / "oidc-rsa.pem"
    ),
    "PKCE_REQUIRED": True,
    "ALLOW_LOCALHOST_LOOPBACK": True,
    # RFC 9700 (OAuth 2.0 Security BCP) throughout: no implicit or password grant, S256 only, tokens only in
    # headers, `iss` in the authorization response, tokens stored hashed, refresh token replay detection.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Plain-http callbacks (the demo's and the tests' loopback addresses, RFC 8252) only where asked for.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"] if MOCKVNEID_HTTP_REDIRECTS else ["https"],
    "SCOPES": {"openid": "OpenID Connect", "profile": "Họ tên, ngày sinh, số định danh", "phone": "Số điện thoại"},
    "DEFAULT_SCOPES": ["openid"],
    "OAUTH2_VALIDATOR_CLASS": "portal.accounts.providers.mockvneid.validators.VneidValidator",
    "ID_TOKEN_EXPIRE_SECONDS": 300,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
}
