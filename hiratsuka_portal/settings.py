"""Settings for the Hiratsuka Intellectual-Convection Portal.

One file, read from environment variables (twelve-factor style). With no variables at all it runs
the embedded default: SQLite, a development secret generated into an ignored file, mail printed to
the console. ``DJANGO_ENV=production`` switches on every production safeguard and refuses to start
without the secrets it needs. See README.md, "Production".
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from core.language_labels import localized_verbose_name

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development").strip().lower() == "production"
DEBUG = env_bool("DJANGO_DEBUG")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must not be set when DJANGO_ENV=production.")

# Writable state (the SQLite database, sent mail in development, uploads) lives under var/ unless
# told otherwise, so a checkout stays clean.
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))
if not PRODUCTION:
    VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_ENV=production.")
    # Development: a random key generated once into an ignored file, so sessions survive restarts
    # and no key is ever committed.
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    # Serve static files through WhiteNoise in development too, exactly as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    # Staff import donations and donors from CSV/XLSX and export records (DESIGN.md §1).
    "import_export",
    # Locks an account after repeated failed sign-ins (per account and address, in the database).
    "hiratsuka_portal.axes_app.PortalAxesConfig",
    # The staff's second factor (hiratsuka_portal/two_factor/): authenticator-app codes (TOTP)
    # and single-use recovery codes ("static" tokens).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Durable background jobs (django.tasks backend): e-mails are queued in the same transaction
    # as the record they belong to and sent by `manage.py db_worker`.
    # Under a Japanese name (hiratsuka_portal/apps.py); its admin is for superusers only.
    "hiratsuka_portal.apps.TasksDatabaseConfig",
    # Bootstrap's compiled CSS/JS, shipped as a Python package and served by us (no CDN).
    "bootstrap",
    "core",
    "hiratsuka_portal",
    "projects",
    "donations",
    "agreements",
]

MIDDLEWARE = [
    # First, so that every response leaves with the Permissions-Policy and the
    # Cross-Origin-Resource-Policy: static files, cached pages, 304s and error pages included.
    "core.security_headers.SecurityHeadersMiddleware",
    # A database outage answered with the 503 page (core/outage.py), the headers above on it.
    "core.outage.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for anonymous visitors from the cache: before the session, CSRF, auth and
    # messages middlewares (a hit runs none of them and sets no cookie), after the security
    # headers and the CSP (a cached page leaves with the same headers). See core/page_cache.py.
    "core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The admin's list filters would hand a NUL to PostgreSQL (a 500): a 400 instead.
    "core.middleware.RefuseNulInAdminQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session entered a second-factor code.
    "django_otp.middleware.OTPMiddleware",
    # A staff session that still owes its code (or its enrolment) reaches only the two-factor
    # pages: the admin sends it there, every other page sees an anonymous visitor.
    "hiratsuka_portal.two_factor.middleware.TwoFactorMiddleware",
    # A staff member's ?preview=1 shows drafts and scheduled records, never cached or indexed.
    "core.middleware.PreviewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records which staff user made each change in the audit trail.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hiratsuka_portal.urls"
WSGI_APPLICATION = "hiratsuka_portal.wsgi.application"

# No "loaders" on purpose: Django then wraps these in its cached loader, so a template is parsed
# once per process (and re-read on change under runserver). See test_settings.py.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "core.context_processors.preview",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    },
]

# --- Database ----------------------------------------------------------------------------------
# SQLite unless DATABASE_URL names another database (PostgreSQL via psycopg 3).
# The site's own database, as a URL: manage.py generate_demo_data refuses to write into it.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    from core.database_pool import check_connection

    # Django's backend with a circuit breaker (core/postgresql, core/outage.py): while the
    # database is unreachable, requests fail at once and the site answers its 503 page.
    DATABASES["default"]["ENGINE"] = "core.postgresql"
    # psycopg's connection pool replaces persistent connections (the two cannot be combined).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # A database that does not answer (a host down, packets dropped) fails a connection
    # attempt after this many seconds, not libpq's wait-forever default.
    _options["connect_timeout"] = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "2"))
    # An established connection whose packets go unanswered (the network between us and the
    # database gone) is dropped by the kernel after this long rather than hanging a worker.
    _options["keepalives"] = 1
    _options["keepalives_idle"] = 10
    _options["keepalives_interval"] = 2
    _options["keepalives_count"] = 3
    _options["tcp_user_timeout"] = int(os.environ.get("DATABASE_TCP_USER_TIMEOUT_MS", "10000"))
    _options["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "10")),
        # How long a request waits for a connection: short, so that with the database down a
        # visitor gets the 503 page in about this long, not after the pool's 30 s (README,
        # "Behaviour under faults"). The task worker and commands set their own (below).
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "2")),
        # A pooled connection is tried before it is handed out: one killed by a database
        # restart is replaced, never given to a request (core/database_pool.py).
        "check": check_connection,
        # The pool retries a failed connection in the background with a doubling pause; it
        # gives up after this long and the next request starts afresh, so once the database
        # is back a connection comes within a few seconds, not after a pause grown to 30 s.
        "reconnect_timeout": float(os.environ.get("DATABASE_POOL_RECONNECT_TIMEOUT", "3")),
        # Connections above min_size idle this long are closed (and none lives past an hour).
        "max_idle": 60.0,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the web server and the task worker share the file
    # without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# After a failed attempt to reach the database, every attempt in the next this many seconds
# fails at once (the visitor gets the 503 page without waiting), then the next one tries again.
DATABASE_BREAKER_SECONDS = float(os.environ.get("DATABASE_BREAKER_SECONDS", "1"))
# The 503 page's Retry-After (seconds).
DATABASE_OUTAGE_RETRY_AFTER = 30
# The city's contact as the 503 page gives it: the database's SiteProfile holds the contact the
# other pages show, but the 503 page is what a visitor sees when it cannot be read.
CITY_CONTACT_PHONE = "0463-21-9758"
CITY_CONTACT_EMAIL = "sangyo-s@city.hiratsuka.kanagawa.jp"

# --- Cache -------------------------------------------------------------------------------------
# Redis when REDIS_URL is set (shared by every process: needed for rate limits with several
# workers), a per-process memory cache otherwise.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's, carrying on without Redis: a miss, a write skipped (core/redis_cache.py).
            "BACKEND": "core.redis_cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "hiratsuka",
            # An unreachable Redis costs a request a fraction of a second, then is skipped for a
            # moment, rather than the kernel's connect timeout on every cache read.
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_SOCKET_TIMEOUT", "1")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions with several app servers: read from Redis, written through to the database
# ("cached_db"), so a sign-in made on one server is valid on every other. Not the "cache"
# engine: Redis here is a cache (it may evict keys under memory pressure, and flushing it is a
# routine remedy), and neither should sign the city's staff out in the middle of their work or
# lose a company's inquiry under way. Without Redis, sessions stay in the database alone.
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Measuring only (`make benchmark`'s cache-cold server): every cache misses, so each request
# renders its page or PDF afresh. Never in a real deployment: it also lifts the inquiry form's
# rate limit, which counts in the cache.
if env_bool("DJANGO_CACHE_DISABLED"):
    CACHES = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in CACHES}

# --- Page cache (core/page_cache.py) ----------------------------------------------------------
# Public pages are kept for anonymous visitors until the site's data changes (a version, not a
# timeout). PAGE_CACHE_ENABLED=0 renders every request.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# With the local memory cache (no REDIS_URL) each process keeps its own pages and version: a
# change saved through one process is announced to the others on the same machine by the time
# of this file (a stat per request). With Redis the version in Redis is shared by all servers.
PAGE_CACHE_VERSION_FILE = (
    None
    if os.environ.get("REDIS_URL")
    else Path(os.environ.get("PAGE_CACHE_VERSION_FILE", VAR_DIR / "page-cache-version"))
)
# A save, delete or many-to-many change of a model of these apps makes every page fresh.
PAGE_CACHE_APPS = ["core", "hiratsuka_portal", "projects", "donations", "agreements"]
# Besides publication times: times at which a page changes by the clock alone (a meeting moves
# from "upcoming" to "past" on the research group's page).
PAGE_CACHE_SCHEDULE_FIELDS = ["projects.Meeting.starts_at"]
# Never stored nor looked up, whatever the response (the admin is for signed-in staff anyway;
# the health check must ask the database every time).
PAGE_CACHE_EXEMPT_PATHS = ["/admin/", "/healthz"]
# Pages of a previous release kept in a shared Redis are not served by a new one: the key holds
# a fingerprint of the code and templates, or this value when set (e.g. the release's commit).
PAGE_CACHE_RELEASE = os.environ.get("PAGE_CACHE_RELEASE", "")

# --- Authentication ----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes checks every sign-in first: a locked account is refused before its password is
# even compared.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Sign-in protection (django-axes) ----------------------------------------------------------
# After AXES_FAILURE_LIMIT failed sign-ins for one account from one address, that account is
# locked for that address for AXES_COOLOFF_MINUTES. Attempts are stored in the database, so the
# lock holds whichever app process answers the next request; a superuser lifts it in the admin
# (アクセス試行 → delete the row).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_MINUTES = int(os.environ.get("AXES_COOLOFF_MINUTES", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Not on the password alone: with a second factor the sign-in succeeds only with the code, and
# resetting at the password would give whoever knows it five fresh guesses at the code after
# every re-entry. hiratsuka_portal.two_factor.signin resets the count once the sign-in is whole.
AXES_RESET_ON_SUCCESS = False
# Every failed sign-in is kept (ログイン失敗の記録), not only the running count per account.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The page promises 30 minutes: a try during the lock does not start them again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "hiratsuka_portal.signin.lockout_response"
# The client's address: REMOTE_ADDR unless a reverse proxy we trust sets X-Forwarded-For. Set
# AXES_IPWARE_PROXY_COUNT to the number of proxies in front of the app (1 behind one nginx);
# with 0 (the default) the header is ignored, as a client could forge it.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_IPWARE_PROXY_COUNT", "0"))
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# --- Second factor for staff (django-otp; hiratsuka_portal/two_factor/) -----------------------
# Who must sign in with a code from an authenticator app besides the password:
#   roles     superusers and members of 寄附担当 (they handle companies' personal data), the default
#   everyone  every staff account
#   none      nobody (a local demo without a phone); anyone may still enrol
# Whoever is not required may enrol from the admin's 「二段階認証」 page.
STAFF_TWO_FACTOR_CHOICES = ("roles", "everyone", "none")
STAFF_TWO_FACTOR = os.environ.get("STAFF_TWO_FACTOR", "roles").strip().lower()
if STAFF_TWO_FACTOR not in STAFF_TWO_FACTOR_CHOICES:
    raise ImproperlyConfigured(
        f"STAFF_TWO_FACTOR must be one of {', '.join(STAFF_TWO_FACTOR_CHOICES)}"
        f" (got {STAFF_TWO_FACTOR!r})."
    )
# The name an authenticator app shows beside the account's codes. Short on purpose: it is in
# the QR code twice, and every Japanese character takes nine bytes there (a denser code).
OTP_TOTP_ISSUER = os.environ.get("STAFF_TWO_FACTOR_ISSUER", "平塚市")
# django-otp's own throttling stays on: after each wrong code the next is refused for 1, 2, 4, …
# seconds. The axes lockout counts wrong codes as failed sign-ins besides.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# How many single-use recovery codes an enrolment gives.
STAFF_TWO_FACTOR_RECOVERY_CODES = 10

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "ja"
# An untranslated English field falls back to the Japanese text rather than showing nothing.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ja",)}
# 「名称（日本語）」/「名称（英語）」 rather than modeltranslation's 「名称 [ja]」/「名称 [en]」.
MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = localized_verbose_name

# --- Static files and uploads ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
if not PRODUCTION:
    # WhiteNoise warns about a missing folder before the first collectstatic.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Files only staff may download (receipts), never served by a web server: see storage.py.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Where `manage.py backup` makes its folders unless told otherwise (`--into`): in production,
# a disk other than the database's, copied off-site (README, "Backups and restore").
BACKUP_ROOT = Path(os.environ.get("DJANGO_BACKUP_ROOT", VAR_DIR / "backups"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Receipts, donation applications, mail attachments: core.storage.PrivateStorage.
    "private": {"BACKEND": "core.storage.PrivateFileSystemStorage"},
    # Hashed names (cacheable forever) and pre-compressed copies, served by WhiteNoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several app servers share their uploads on S3-compatible storage (django-storages) when
# DJANGO_S3_BUCKET names the public media bucket. Credentials come from boto3's standard
# sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, an instance role, ~/.aws), never from here.
# - Public media (project images, photos): public-read objects with plain, unsigned URLs, so a
#   page cached for everyone links a file anyone may load.
# - Private files: DJANGO_S3_PRIVATE_BUCKET (a bucket of their own: recommended, its policy can
#   deny everything but the app), else the media bucket under DJANGO_S3_PRIVATE_LOCATION. Always
#   the private ACL, never a URL: the staff views stream them through the app.


def _s3_media_origin() -> str:
    """The origin of the public media's URLs, as django-storages writes them."""
    if os.environ.get("DJANGO_S3_CUSTOM_DOMAIN"):
        return "https://" + os.environ["DJANGO_S3_CUSTOM_DOMAIN"].split("/")[0]
    if os.environ.get("DJANGO_S3_ENDPOINT_URL"):
        endpoint = urlsplit(os.environ["DJANGO_S3_ENDPOINT_URL"])
        return f"{endpoint.scheme}://{endpoint.netloc}"
    region = os.environ.get("DJANGO_S3_REGION")
    host = f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com"
    return f"https://{os.environ['DJANGO_S3_BUCKET']}.{host}"


S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "")
# Where pages load public media from, besides our own origin (the CSP's img-src).
MEDIA_ORIGINS: list[str] = []
if S3_BUCKET:
    _s3_common = {
        "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("DJANGO_S3_REGION") or None,
        # "path" for most S3-compatible servers on an address of their own; AWS takes either.
        "addressing_style": os.environ.get("DJANGO_S3_ADDRESSING_STYLE") or None,
        # A second upload of "photo.jpg" gets a name of its own rather than replacing the first
        # (an issued receipt is never overwritten; a page cached elsewhere keeps its image).
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": _s3_common
        | {
            "bucket_name": S3_BUCKET,
            "location": os.environ.get("DJANGO_S3_MEDIA_LOCATION", ""),
            "default_acl": "public-read",
            "querystring_auth": False,
            "custom_domain": os.environ.get("DJANGO_S3_CUSTOM_DOMAIN") or None,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "core.s3.PrivateS3Storage",
        "OPTIONS": _s3_common
        | {
            "bucket_name": os.environ.get("DJANGO_S3_PRIVATE_BUCKET") or S3_BUCKET,
            "location": os.environ.get(
                "DJANGO_S3_PRIVATE_LOCATION",
                "" if os.environ.get("DJANGO_S3_PRIVATE_BUCKET") else "private",
            ),
        },
    }
    MEDIA_ORIGINS = env_list("DJANGO_S3_MEDIA_ORIGIN") or [_s3_media_origin()]
    if not STORAGES["private"]["OPTIONS"]["location"] and (
        STORAGES["private"]["OPTIONS"]["bucket_name"] == S3_BUCKET
    ):
        raise ImproperlyConfigured(
            "Private files need DJANGO_S3_PRIVATE_BUCKET or a DJANGO_S3_PRIVATE_LOCATION apart "
            "from the public media."
        )

# --- E-mail (Django 6.1 MAILERS) ---------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "noreply@city.hiratsuka.kanagawa.jp"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
elif PRODUCTION:
    raise ImproperlyConfigured("EMAIL_HOST must be set when DJANGO_ENV=production.")
elif os.environ.get("EMAIL_FILE_PATH"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["EMAIL_FILE_PATH"]},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- Background tasks (Django 6 django.tasks) --------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Donations ---------------------------------------------------------------------------------
# Where the notice of each new donation inquiry goes.
DONATION_INQUIRY_STAFF_EMAIL = os.environ.get(
    "DONATION_INQUIRY_STAFF_EMAIL", "sangyo-s@city.hiratsuka.kanagawa.jp"
)
# A pledge whose payment the city asked for more than this many days ago, with no donation
# recorded yet, is listed on the staff dashboard (納付待ち).
DONATION_PAYMENT_OVERDUE_DAYS = int(os.environ.get("DONATION_PAYMENT_OVERDUE_DAYS", "30"))
# The private link a company is sent to download its 寄附申出書 (donation application) works
# this many days after it was sent, then answers 410 and the company asks the city for a new one.
DONATION_APPLICATION_LINK_DAYS = int(os.environ.get("DONATION_APPLICATION_LINK_DAYS", "30"))
# The corporate hometown-tax scheme runs through this fiscal year (extended by the national
# government from time to time): the one place to change when it is extended again.
CORPORATE_HOMETOWN_TAX_LAST_FISCAL_YEAR = int(
    os.environ.get("CORPORATE_HOMETOWN_TAX_LAST_FISCAL_YEAR", "2027")
)
# Receipt (受領証) numbers are given when a receipt is first issued, counted per fiscal year of
# issue like the city's other document numbers. Placeholders: {fiscal_year} (2024), {era}
# (令和), {era_year} (6; 元年 is 1) and {serial} (1, 2, …; {serial:03d} gives 001).
RECEIPT_NUMBER_FORMAT = os.environ.get(
    "RECEIPT_NUMBER_FORMAT", "平産第{fiscal_year}-{serial:03d}号"
)
if "{serial" not in RECEIPT_NUMBER_FORMAT:
    raise ImproperlyConfigured("RECEIPT_NUMBER_FORMAT must contain {serial}.")
# Abuse protection of the public inquiry form: at most this many accepted submissions per client
# and window, at most DONATION_INQUIRY_ABUSE_LIMIT POSTs of any kind (failed validation
# included), and no submission sooner than this many seconds after the form was shown.
DONATION_INQUIRY_RATE_LIMIT = int(os.environ.get("DONATION_INQUIRY_RATE_LIMIT", "5"))
DONATION_INQUIRY_ABUSE_LIMIT = int(os.environ.get("DONATION_INQUIRY_ABUSE_LIMIT", "30"))
DONATION_INQUIRY_RATE_WINDOW = int(os.environ.get("DONATION_INQUIRY_RATE_WINDOW", "3600"))
DONATION_INQUIRY_MIN_FILL_SECONDS = 3
# The personal data of an inquiry is kept this many years after its follow-up ended, then
# erased by `manage.py anonymise_inquiries` (run daily); the privacy page states the period.
INQUIRY_RETENTION_YEARS = int(os.environ.get("INQUIRY_RETENTION_YEARS", "5"))

# Mail about inquiries is retried after these waits (minutes), the last one repeated for as
# long as the mail server is down: capped so that, once it is back, every waiting mail leaves
# within that last wait whatever the outage's length (an ever longer back-off made a 10-minute
# outage cost ~36 minutes). Only a mail still unsent this many days after it was queued is
# marked failed for staff: past a long weekend's outage, retrying alone will not deliver it
# (a wrong address, a server refusing our mail) and someone must call the company.
DONATION_MAIL_RETRY_MINUTES = tuple(
    int(minutes) for minutes in env_list("DONATION_MAIL_RETRY_MINUTES", "1,2,5")
)
if not DONATION_MAIL_RETRY_MINUTES or min(DONATION_MAIL_RETRY_MINUTES) < 1:
    raise ImproperlyConfigured("DONATION_MAIL_RETRY_MINUTES must list whole minutes ≥ 1.")
DONATION_MAIL_GIVE_UP_DAYS = int(os.environ.get("DONATION_MAIL_GIVE_UP_DAYS", "3"))
# The thanks page asks the company to get in touch if the acknowledgement still waits after
# this many hours (it tells them to check their spam folder first).
DONATION_ACKNOWLEDGEMENT_EXPECTED_HOURS = 24

# --- Import and export (django-import-export) ---------------------------------------------------
# An import is one transaction: if any row is invalid, nothing is written.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Importing needs add and change permission on the model, exporting needs view (see
# core.spreadsheets.SpreadsheetAdminMixin for the pair).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# A cell starting with "=" is exported as text, not run as a formula when Excel opens it.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# --- Security ----------------------------------------------------------------------------------
# A strict policy: everything from our own origin, no inline script or style, nothing from a CDN.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Bootstrap's CSS draws a few icons (select arrows, toggler) as data: SVG images.
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the site never uses, denied to it and to anything it might ever embed, so
# an injected script cannot reach them either (core/security_headers.py). Written out one by
# one, not "everything": a feature the site starts to use is then a deliberate change here.
# No video or audio player (videos are links), no fullscreen, no maps, no payments in the
# browser (donations are paid by bank transfer or payment slip), no WebAuthn (staff sign in
# with a password and a code). interest-cohort and browsing-topics opt the site out of the
# browsers' advertising-interest schemes; browsers that do not know one ignore it.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "battery",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "document-domain",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "speaker-selection",
        "storage-access",
        "usb",
        "web-share",
        "window-management",
        "xr-spatial-tracking",
    )
}
# Only our own pages may embed what we serve (an <img>, <script> or <link> from another site
# is refused by the browser). The same for open data and static files, deliberately: the
# header governs only a browser's no-cors loads (embedding), never a navigation, a download,
# curl, a spreadsheet or a script fetching donations.csv, which ignore it; a web app of
# another origin reading the files would need CORS (Access-Control-Allow-Origin), which CORP
# does not affect. Uploaded media are served by the web server or the S3 bucket, not here.
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Lax (Django's default, said here): a link from another site to a page still carries the
# staff sign-in, while a form posted from another site carries neither cookie.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script of ours reads the CSRF cookie (forms carry the token in a hidden field).
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    # The browsers' preload list takes no site that asks for less than a year; a shorter trial
    # period (rolling HSTS out step by step) goes without preload.
    if SECURE_HSTS_PRELOAD and SECURE_HSTS_SECONDS < 60 * 60 * 24 * 365:
        raise ImproperlyConfigured(
            "DJANGO_SECURE_HSTS_PRELOAD needs DJANGO_SECURE_HSTS_SECONDS of at least 31536000"
            " (one year); set DJANGO_SECURE_HSTS_PRELOAD=0 for a shorter period."
        )
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # The __Host- prefix: a browser accepts these cookies only when Secure, with Path=/ and no
    # Domain, set over https by this very host, so neither a sibling subdomain nor a plain-http
    # network attacker can plant a session or CSRF cookie on the site. Production only: over
    # plain http on localhost (development, the browser tests) a browser would drop them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if env_bool("DJANGO_BEHIND_TLS_PROXY"):
        # The reverse proxy terminates TLS and says so in this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Benchmark ---------------------------------------------------------------------------------
# `make benchmark` (tools/benchmark.py) measures every page against a trivial view served by the
# same server through the same middleware: /benchmark/floor/ exists only when this is set.
BENCHMARK_FLOOR = env_bool("BENCHMARK_FLOOR")

# --- Forms -------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging -----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The pool logs each failed background reconnection; an outage is reported once by
        # core.outage instead.
        "psycopg.pool": {"level": "ERROR"},
    },
}
