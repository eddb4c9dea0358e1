"""Settings for the ICI reference site, read from the environment.

Defaults suit a newcomer's machine (SQLite, local memory cache, DEBUG off); production
sets DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def env_list(name, default=""):
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (required when DJANGO_DEBUG is off)."
        )
    SECRET_KEY = "insecure-key-for-local-debugging-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin: its translation registrations and admin classes load first.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "csp",
    "axes",
    "reversion",
    "reversion_compare",
    "content",
    "partners",
    "timeline",
    # For the commands that span both apps (generate_synthetic_content).
    "ici_site",
]

MIDDLEWARE = [
    # First: a cached page is stored with every header below but the request id, so
    # a hit skips the whole stack (static files pass straight through to WhiteNoise).
    "ici_site.page_cache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language from the address only (ici_site.languages says why not Django's),
    # early so that the error pages below are in it too.
    "ici_site.languages.URLLocaleMiddleware",
    "ici_site.middleware.RequestIdMiddleware",
    "ici_site.middleware.SecurityHeadersMiddleware",
    "ici_site.middleware.DatabaseUnavailableMiddleware",
    # ETags for every GET, cached or not, so a conditional GET answers 304.
    "django.middleware.http.ConditionalGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Refusals (an oversized request, a bad Host) come after every header above, so
    # they carry them too; nothing above reads the body or the host.
    "ici_site.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ici_site.urls"
WSGI_APPLICATION = "ici_site.wsgi.application"

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
                "content.dataset.context_processor",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Web requests already run several at once on every core: a parallel plan's extra
    # workers only compete with the other requests. JIT compiling pays off for long
    # reports, not for queries of a few milliseconds (docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c max_parallel_workers_per_gather=0 -c jit=off"
    )

# The cache key of the content version (content.version), which every change drops.
CONTENT_VERSION_KEY = "content-version"

if REDIS_URL := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's RedisCache that serves misses, not errors, while Redis is down.
            "BACKEND": "ici_site.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ici",
            # Edits saved during an outage could not drop it: dropped on recovery.
            "STALE_AFTER_OUTAGE": [CONTENT_VERSION_KEY],
        }
    }
else:
    # One machine without Redis (`dev.py serve`): files every worker reads and writes,
    # so a change one of them saves drops the content version for all at once.
    CACHES = {
        "default": {
            # Django's FileBasedCache, its values not compressed (faster hits).
            "BACKEND": "ici_site.cache.PageFileCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", BASE_DIR / "cache"),
            "KEY_PREFIX": "ici",
            # Past this many files a third are dropped at random on the next write.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Seconds a content version lives at most; pages, counts and the dataset version are
# cached under it, and edits and scheduled publications end it sooner.
CONTENT_VERSION_SECONDS = int(os.environ.get("DJANGO_CONTENT_CACHE_SECONDS", "600"))
# Seconds an anonymous page may be served from the cache (0: pages are built afresh,
# counts still come from the cache); never longer than the content version lives.
PAGE_CACHE_SECONDS = min(
    int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", CONTENT_VERSION_SECONDS)),
    CONTENT_VERSION_SECONDS,
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_validators = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _validators + "UserAttributeSimilarityValidator"},
    {"NAME": _validators + "MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": _validators + "CommonPasswordValidator"},
    {"NAME": _validators + "NumericPasswordValidator"},
]

# English unprefixed, as every published link has it; Arabic under /ar/, French /fr/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ar", "Arabic"), ("fr", "French")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# The admin edits every language on one form; English is the one required.
MODELTRANSLATION_REQUIRED_LANGUAGES = ("en",)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"  # slugs come from the English name
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# Hosts whose pages the citing rules exclude: aggregators, reprints, leak mirrors.
EXCLUDED_SOURCE_HOSTS = [
    "gcclub.org",
    "miragenews.com",
    "docslib.org",
    "enewspf.com",
    "blogspot.com",
    "wikileaks.ikiru.ch",
    "iuvmdaily.com",
    "uae71.org",
    "eubriefs.com",
    "menafn.com",
    "twocircles.net",
    "zawya.com",
    "pressreader.com",
]
# The site's content in fixtures/, in the order it loads (content.loading).
CONTENT_FIXTURES = [
    "sources",
    "areas",
    "partners",
    "activities",
    "milestones",
    "citations",
    "pages",
]

SITE_NAME = "ICI Reference"

# Security. DJANGO_HTTPS=true in production turns on everything that needs HTTPS.
HTTPS = env_bool("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("DJANGO_HSTS_PRELOAD", True)
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Forwarded-For is believed (addresses or networks): a client
# reaching an app server directly could write any address there.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# No inline script or style anywhere: everything comes from our static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The admin lives at an address only editors are told (DJANGO_ADMIN_URL).
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Requests bigger than these are refused before any view reads them.
MAX_QUERY_STRING_LENGTH = 4096
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_048_576
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

# Requests a client (by its keyed digest, see lockout.py) may make in a window of
# seconds: whole-list downloads and site searches cost a worker far more than a page.
# DJANGO_RATE_LIMITS=off lifts them, for load tests run from one address.
RATE_LIMITS = (
    {"export": (30, 60), "search": (60, 60)}
    if env_bool("DJANGO_RATE_LIMITS", True)
    else {}
)
RATE_LIMIT_CLIENT = "ici_site.lockout.client_digest"
# Whole-list downloads are built here once per content version (content.exports).
STORED_EXPORTS_DIR = Path(os.environ.get("DJANGO_EXPORTS_DIR", BASE_DIR / "exports"))

# Asked to retry this many seconds after a 503 (database unavailable).
RETRY_AFTER_SECONDS = 30

# Admin brute-force protection: five wrong passwords lock that account from that
# address for 30 minutes, and so do five from one address, whatever the accounts;
# `manage.py axes_reset_username NAME` unlocks it sooner.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_CLIENT_IP_CALLABLE = "ici_site.lockout.client_ip"
AXES_CLIENT_STR_CALLABLE = "ici_site.lockout.anonymous_client"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "ici_site.logs.RequestIdFilter"},
        "brief_warning": {"()": "ici_site.logs.BriefWarningFilter"},
    },
    "formatters": {"json": {"()": "ici_site.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json",
        }
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
    # django-axes announces itself at INFO on every command; failures are WARNING.
    "loggers": {
        "axes": {"level": "WARNING"},
        # A bad Host header is a scanner's everyday probe, not a server error.
        "django.security.DisallowedHost": {"filters": ["brief_warning"]},
    },
}
