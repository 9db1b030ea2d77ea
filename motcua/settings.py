"""Django settings for motcua: one module, driven by environment variables.

Every variable is documented in README.md ("Configuration"). Defaults are safe for a single
machine on a LAN; production over HTTPS sets MOTCUA_HTTPS=1 (see docs/deploy.md).
"""

from __future__ import annotations

import importlib.util
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from motcua.env import env_bool, env_cache, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
# The working directory holds the state of an embedded install (database, secret, static files).
WORK_DIR = Path.cwd()

DEBUG = env_bool("MOTCUA_DEBUG", False)


def _secret_key() -> str:
    """MOTCUA_SECRET_KEY if given, else a random key generated once into a 0600 file."""
    given = env_str("MOTCUA_SECRET_KEY", "")
    if given:
        if len(given) < 32:
            raise ImproperlyConfigured("MOTCUA_SECRET_KEY must be at least 32 characters long.")
        return given
    path = Path(env_str("MOTCUA_SECRET_KEY_FILE", str(WORK_DIR / ".motcua-secret")))
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    # Several servers behind one balancer must share the key: set MOTCUA_SECRET_KEY there.
    key = secrets.token_urlsafe(50)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(key + "\n")
        path.chmod(0o600)
    except FileExistsError:
        # Another process created it first; use theirs so both agree.
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"MOTCUA_SECRET_KEY is not set and the key file {path} cannot be written ({exc}); "
            "set MOTCUA_SECRET_KEY or MOTCUA_SECRET_KEY_FILE."
        ) from exc
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "motcua.core",
    "motcua.calendars",
    "motcua.audit",
    "motcua.orgs",
    "motcua.accounts",
    "motcua.procedures",
    "motcua.dossiers",
    "motcua.blocking",
    "motcua.notary",
    "motcua.reform",
    "motcua.reports",
    "motcua.feedback",
    "motcua.signing",
    "django_tasks_db",
    "motcua.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.core.headers.SecurityHeadersMiddleware",  # CSP, Permissions-Policy (issue 13)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that its 400 page has the user, messages and language of every other page.
    "motcua.core.nul.RejectNulMiddleware",  # NUL in text: a clear 400/422, never a 500 (PostgreSQL)
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["motcua.core.templatetags.vn"],  # vn_number, vn_percent, dong (issue 14)
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.orgs.navigation.context",
            ],
        },
    },
    {
        # The public tracking page's content only (issue 17, docs/adr/0004): motcua/core/jinja.py.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "motcua.core.jinja.environment"},
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{WORK_DIR / 'motcua.sqlite3'}")
try:
    _db = dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("MOTCUA_DB_CONN_MAX_AGE", 0, min_value=0),
        conn_health_checks=True,
    )
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL={DATABASE_URL!r} cannot be parsed: {exc}") from exc
_db_engine = _db["ENGINE"]  # as the URL names it (the pool below swaps in a subclass)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at BEGIN so
    # concurrent writers queue on the busy timeout instead of failing with "database is locked".
    _db["CONN_MAX_AGE"] = 0
    _db.pop("CONN_HEALTH_CHECKS", None)
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **_db.get("OPTIONS", {}),
    }
elif _db["ENGINE"] == "django.db.backends.postgresql" and env_bool("MOTCUA_DB_POOL", True):
    # A pool of connections in each process (psycopg_pool through Django): a request takes a
    # connection already open instead of opening one (the cost of a small page otherwise), and
    # a connection is checked before it is handed out (a restarted server costs no error).
    # The pool replaces CONN_MAX_AGE, which Django refuses together with it; CONN_HEALTH_CHECKS
    # makes Django give the pool its check.
    _db["CONN_MAX_AGE"] = 0
    _db["CONN_HEALTH_CHECKS"] = True
    # Django's backend with a check that costs no round trip (motcua/core/postgresql/base.py).
    _db["ENGINE"] = "motcua.core.postgresql"
    _db["OPTIONS"] = {
        "pool": {
            "min_size": env_int("MOTCUA_DB_POOL_MIN_SIZE", 1, min_value=0),
            "max_size": env_int("MOTCUA_DB_POOL_MAX_SIZE", 4, min_value=1),
            "timeout": 10,
        },
        **_db.get("OPTIONS", {}),
    }
DATABASES = {"default": _db}
# The busiest look-ups (public tracking, the blocking/notary search: core/compiled.py) run as
# statements prepared once per connection on PostgreSQL: the server plans them once instead of
# on every request (issue 17; ≈ 5× less server CPU per look-up). Off behind a connection pooler
# that cannot carry prepared statements (pgbouncer older than 1.21 in transaction mode).
MOTCUA_DB_PREPARED = env_bool("MOTCUA_DB_PREPARED", True)
if MOTCUA_DB_PREPARED and _db_engine == "django.db.backends.postgresql":
    # Django turns psycopg's preparation off (prepare_threshold None) and binds every parameter
    # on the client, so nothing else is prepared: only compiled.py's cursor binds on the server.
    _db.setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
# PostgreSQL streaming replicas (core.routers): reports, the dashboard, search and the public
# tracking page may read there; writes, transactions and a browser that just wrote use the primary.
MOTCUA_DATABASE_REPLICA_URLS = env_list("MOTCUA_DATABASE_REPLICA_URLS", [])
for _number, _url in enumerate(MOTCUA_DATABASE_REPLICA_URLS, start=1):
    try:
        _replica = dj_database_url.parse(_url, conn_max_age=0, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"MOTCUA_DATABASE_REPLICA_URLS: {_url!r} cannot be parsed: {exc}"
        ) from exc
    if _replica["ENGINE"] != _db_engine:
        raise ImproperlyConfigured(
            "MOTCUA_DATABASE_REPLICA_URLS: replicas use the primary's engine."
        )
    for _key in ("ENGINE", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS"):
        if _key in _db:
            _replica[_key] = _db[_key]
    # Tests run on the primary's test database (a real replica is tested by .ci/run).
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{_number}"] = _replica
# Seconds a browser that wrote reads from the primary only (longer than the replicas' lag).
MOTCUA_REPLICA_STICKY_SECONDS = env_int("MOTCUA_REPLICA_STICKY_SECONDS", 10, min_value=0)
DATABASE_ROUTERS = ["motcua.core.routers.ReplicaRouter"] if MOTCUA_DATABASE_REPLICA_URLS else []
if MOTCUA_DATABASE_REPLICA_URLS:
    MIDDLEWARE.insert(1, "motcua.core.routers.ReplicaMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Passwords ------------------------------------------------------------------------------
# At least 10 characters, not like the user's own data, not on Django's list of common passwords,
# not only digits, not on motcua's list of weak Vietnamese passwords (accounts/weak_passwords.txt).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "motcua.accounts.passwords.WeakPasswordValidator"},
]

LOGIN_URL, LOGIN_REDIRECT_URL, LOGOUT_REDIRECT_URL = "login", "dossiers:after_login", "/"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("MOTCUA_STATIC_ROOT", str(WORK_DIR / "staticfiles")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    # Atomic writes: a full disk leaves no truncated file (issue 13 gap 13).
    "default": {"BACKEND": "motcua.core.storage.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "motcua.core.storage.StaticStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env_str("MOTCUA_MEDIA_ROOT", str(WORK_DIR / "media")))  # uploaded attachments
MOTCUA_MAX_UPLOAD_MB = env_int("MOTCUA_MAX_UPLOAD_MB", 10, min_value=1, max_value=1024)

# Rate limits (tracking, ratings, allauth) live in the cache: share it between workers in production.
CACHES = env_cache("MOTCUA_CACHE_URL")

# The place printed before the date on official forms ("Huế, ngày … tháng … năm …").
MOTCUA_PRINT_PLACE = env_str("MOTCUA_PRINT_PLACE", "Huế")
# How long a process trusts its cached calendar revision before asking the database again
# (changes made in the same process apply at once; other processes see them after this delay).
MOTCUA_CALENDAR_RECHECK_SECONDS = env_int("MOTCUA_CALENDAR_RECHECK_SECONDS", 5, min_value=0)

# --- Security -------------------------------------------------------------------------------
# Behind HTTPS (directly or via a proxy that sets X-Forwarded-Proto), set MOTCUA_HTTPS=1.
HTTPS = env_bool("MOTCUA_HTTPS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and env_bool("MOTCUA_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("MOTCUA_HSTS_SECONDS", 31_536_000, min_value=0) if HTTPS else 0
# Both HSTS flags are on by default with HTTPS, so `check --deploy` is clean (W005, W021).
# includeSubDomains covers only the names under motcua's own host (*.motcua.example.gov.vn);
# preload only consents to the browsers' preload list, which takes registrable domains alone.
# Turn them off when motcua is served at the apex of a domain with plain-HTTP subdomains
# (docs/deploy.md "Environment").
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("MOTCUA_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("MOTCUA_HSTS_PRELOAD", True)
if HTTPS and env_bool("MOTCUA_BEHIND_PROXY", True):
    # Only safe when the proxy overwrites this header from clients (nginx example in docs/deploy.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # allauth's login rate limits count per client address: behind one proxy that is the last
    # X-Forwarded-For entry, otherwise every citizen would share 127.0.0.1 (and its limit).
    ALLAUTH_TRUSTED_PROXY_COUNT = 1

# Public tracking (/tra-cuu/): lookups allowed per client IP and per dossier code in a window.
TRACKING_RATE_PER_IP = env_int("MOTCUA_TRACKING_RATE_PER_IP", 10, min_value=1)
TRACKING_RATE_PER_CODE = env_int("MOTCUA_TRACKING_RATE_PER_CODE", 10, min_value=1)
TRACKING_RATE_WINDOW = env_int("MOTCUA_TRACKING_RATE_WINDOW", 600, min_value=1)

# --- Citizen accounts, notifications, payments (issue 7) -----------------------------------
# django-allauth: local accounts with email verification, password reset, rate limits, and login
# through one configurable OpenID Connect provider (VNeID or the province's SSO). Staff keep
# /dang-nhap/ (username + password); citizens use /tai-khoan/ (docs/huong-dan-cong-dan.md).
INSTALLED_APPS += [
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "motcua.notifications",
    "motcua.payments",
    "motcua.integrations.handover",
    "motcua.integrations.dvcqg",
]
# The API docs from django-ninja's own files, never a CDN (CSP: script-src 'self'). Not an
# installed app: its package would be imported by every command (issue 17); its templates and
# static files are found where the package lies, without importing it (motcua.api.LocalSwagger).
_NINJA_DIR = Path(importlib.util.find_spec("ninja").origin).parent  # type: ignore[union-attr,arg-type]
TEMPLATES[0]["DIRS"].append(_NINJA_DIR / "templates")
STATICFILES_DIRS.append(_NINJA_DIR / "static")
CSRF_FAILURE_VIEW = "motcua.core.errors.csrf_failure"
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "allauth.account.middleware.AccountMiddleware",
)
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "motcua.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "motcua.accounts.adapter.SocialAccountAdapter"
ACCOUNT_FORMS = {"signup": "motcua.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[motcua] "
# OWASP ASVS 2.2.1: anti-automation on sign-up, login and password reset (per IP / per key).
ACCOUNT_RATE_LIMITS = {
    "signup": env_str("MOTCUA_RATE_SIGNUP", "10/h/ip"),
    "login": env_str("MOTCUA_RATE_LOGIN", "30/m/ip"),
    # Password failures are throttled by motcua.accounts.throttle (per address, per account);
    # allauth's "login_failed" limit now only counts wrong second-factor codes (per user).
    "login_failed": env_str("MOTCUA_RATE_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "reset_password": env_str("MOTCUA_RATE_RESET_PASSWORD", "20/m/ip,5/m/key"),
    "confirm_email": "1/3m/key",
}
# Login throttling (motcua/accounts/throttle.py), counted in CACHES: per client address, the
# window doubles from LOGIN_LOCK_SECONDS to LOGIN_LOCK_MAX_SECONDS after LOGIN_FAILURES_PER_IP
# failures; per account, unknown browsers are slowed down after LOGIN_FAILURES_PER_ACCOUNT.
LOGIN_FAILURES_PER_IP = env_int("MOTCUA_LOGIN_FAILURES_PER_IP", 5, min_value=1)
LOGIN_FAILURES_PER_ACCOUNT = env_int("MOTCUA_LOGIN_FAILURES_PER_ACCOUNT", 10, min_value=1)
LOGIN_LOCK_SECONDS = env_int("MOTCUA_LOGIN_LOCK_SECONDS", 60, min_value=1)
LOGIN_LOCK_MAX_SECONDS = env_int("MOTCUA_LOGIN_LOCK_MAX_SECONDS", 3600, min_value=1)
# Second factor (allauth.mfa): TOTP apps, security keys / passkeys (WebAuthn), recovery codes.
# MOTCUA_STAFF_MFA=required: staff and administrators without a factor can only set one up
# (motcua.accounts.middleware); the default is "required" behind HTTPS, "optional" otherwise.
# django.contrib.humanize: allauth.mfa's passkey list loads it ({% load humanize %}).
INSTALLED_APPS += ["allauth.mfa", "django.contrib.humanize"]
# People are shown by their full name in Vietnamese order, never the login name (issue 14).
ACCOUNT_USER_DISPLAY = "motcua.core.people.full_name"
STAFF_MFA = env_str("MOTCUA_STAFF_MFA", "required" if HTTPS else "optional").strip().lower()
if STAFF_MFA not in ("required", "optional"):
    raise ImproperlyConfigured("MOTCUA_STAFF_MFA must be 'required' or 'optional'.")
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MOTCUA_MFA_ISSUER", "motcua")
MFA_ALLOW_UNVERIFIED_EMAIL = True  # staff accounts are made by an administrator, not signed up
# WebAuthn needs a secure origin; the local demo (http://127.0.0.1) is allowed to try it.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not HTTPS
# Sessions (motcua.accounts.middleware): staff are signed out after SESSION_IDLE_MINUTES without
# a request and SESSION_MAX_HOURS after signing in; citizens keep Django's two weeks.
SESSION_IDLE_MINUTES = env_int("MOTCUA_SESSION_IDLE_MINUTES", 30, min_value=1)
SESSION_MAX_HOURS = env_int("MOTCUA_SESSION_MAX_HOURS", 12, min_value=1)
CITIZEN_SESSION_DAYS = env_int("MOTCUA_CITIZEN_SESSION_DAYS", 14, min_value=1)
SESSION_COOKIE_AGE = CITIZEN_SESSION_DAYS * 24 * 3600
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "motcua.accounts.middleware.AccountSecurityMiddleware",
)
SOCIALACCOUNT_LOGIN_ON_GET = False  # CSRF: starting an external login is a POST
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the identity provider has verified the person
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS: dict = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []}}
OIDC_SERVER_URL = env_str("MOTCUA_OIDC_SERVER_URL", "")
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": env_str("MOTCUA_OIDC_PROVIDER_ID", "vneid"),
            "name": env_str("MOTCUA_OIDC_NAME", "VNeID"),
            "client_id": env_str("MOTCUA_OIDC_CLIENT_ID", ""),
            "secret": env_str("MOTCUA_OIDC_CLIENT_SECRET", ""),
            "settings": {
                "server_url": OIDC_SERVER_URL,
                "scope": env_list("MOTCUA_OIDC_SCOPES", ["openid", "profile", "email"]),
                # A claim carrying the citizen ID number (CCCD), copied to the profile if valid.
                "id_number_claim": env_str("MOTCUA_OIDC_ID_NUMBER_CLAIM", "citizen_id"),
            },
        }
    )
# DOMAIN §7, 4.5: logins through these provider ids are VNeID; a dossier submitted online from
# such an account whose claims carry a valid CCCD is "VNeID-verified" (motcua.dossiers.marks).
# Leave a province's own SSO out unless it is VNeID behind the scenes.
MOTCUA_VNEID_PROVIDERS = env_list("MOTCUA_VNEID_PROVIDERS", ["vneid"])
# Email: a file backend for the demo (messages land in ./sent-mail/), SMTP when configured.
DEFAULT_FROM_EMAIL = env_str("MOTCUA_DEFAULT_FROM_EMAIL", "motcua <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST", "")
_email_url = env_str("MOTCUA_EMAIL_URL", "")
if _email_url:
    from urllib.parse import unquote, urlsplit

    _parts = urlsplit(_email_url)
    if _parts.scheme not in ("smtp", "smtps", "smtp+tls"):
        raise ImproperlyConfigured(
            "MOTCUA_EMAIL_URL must start with smtp://, smtps:// or smtp+tls://"
        )
    EMAIL_HOST = _parts.hostname or "localhost"
    EMAIL_PORT = _parts.port or (465 if _parts.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_parts.username or "")
    EMAIL_HOST_PASSWORD = unquote(_parts.password or "")
    EMAIL_USE_SSL = _parts.scheme == "smtps"
    EMAIL_USE_TLS = _parts.scheme == "smtp+tls"
elif EMAIL_HOST:
    EMAIL_PORT = env_int("EMAIL_PORT", 25, min_value=1, max_value=65535)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, min_value=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(env_str("MOTCUA_EMAIL_FILE_PATH", str(WORK_DIR / "sent-mail")))
# SMS: a dotted path to a transport class (motcua/notifications/sms.py); the default only logs.
MOTCUA_SMS_TRANSPORT = env_str("MOTCUA_SMS_TRANSPORT", "motcua.notifications.sms.LoggingTransport")
# Payment providers offered to citizens (motcua/payments/providers.py); "test" is for demos/tests.
MOTCUA_PAYMENT_PROVIDERS = env_list("MOTCUA_PAYMENT_PROVIDERS", ["counter"])
# The procedure of the catalogue whose time limit is the blocking registry's service time, for an
# entry and for a release (DOMAIN §11: 16 working hours in the article; data, not a constant).
MOTCUA_BLOCKING_PROCEDURE_CODE = env_str("MOTCUA_BLOCKING_PROCEDURE_CODE", "DEMO-NC-01")
# Public base URL used in emails when no request is at hand (links to the portal).
MOTCUA_PUBLIC_URL = env_str("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# The public payment gateway (PayGov-style provider "paygov", motcua/payments/paygov/): where it is,
# who we are to it, and the shared secret of the HMAC-SHA256 signatures (docs/thanh-toan.md).
MOTCUA_PAYGOV_URL = env_str("MOTCUA_PAYGOV_URL", "").rstrip("/")
MOTCUA_PAYGOV_MERCHANT = env_str("MOTCUA_PAYGOV_MERCHANT", "")
MOTCUA_PAYGOV_SECRET = env_str("MOTCUA_PAYGOV_SECRET", "")
MOTCUA_PAYGOV_TIMEOUT = env_int("MOTCUA_PAYGOV_TIMEOUT", 10, min_value=1, max_value=120)
# A pending gateway payment older than this (minutes) is asked about by `motcua payments reconcile`.
MOTCUA_PAYGOV_RECONCILE_AFTER = env_int("MOTCUA_PAYGOV_RECONCILE_AFTER", 15, min_value=0)

# --- Service-centre hand-over API (issue 12, motcua/integrations/handover/) ------------------
# Lifetime of an OAuth2 access token, and the largest hand-over body (JSON with base64 files).
MOTCUA_API_TOKEN_SECONDS = env_int("MOTCUA_API_TOKEN_SECONDS", 900, min_value=60, max_value=86400)
# Wrong client credentials per address before the token endpoint answers 429 for the window
# (issue 13: every sign-in form is throttled, the API's token endpoint too).
MOTCUA_API_TOKEN_FAILURES_PER_IP = env_int("MOTCUA_API_TOKEN_FAILURES_PER_IP", 10, min_value=1)
MOTCUA_API_TOKEN_FAILURE_WINDOW = env_int("MOTCUA_API_TOKEN_FAILURE_WINDOW", 900, min_value=1)
MOTCUA_HANDOVER_MAX_MB = env_int("MOTCUA_HANDOVER_MAX_MB", 50, min_value=1, max_value=1024)

# --- National public-service portal (DVCQG) sync (issue 12; docs/dong-bo-dvcqg.md) ---------
# Unset URL = sync off: nothing is queued. Back-off of failed deliveries: base × 2^(attempt − 1)
# seconds with jitter, at most the cap; parked after MAX_ATTEMPTS failures.
MOTCUA_DVCQG_URL = env_str("MOTCUA_DVCQG_URL", "").rstrip("/")
MOTCUA_DVCQG_CLIENT_ID = env_str("MOTCUA_DVCQG_CLIENT_ID", "")
MOTCUA_DVCQG_CLIENT_SECRET = env_str("MOTCUA_DVCQG_CLIENT_SECRET", "")
MOTCUA_DVCQG_TIMEOUT = env_int("MOTCUA_DVCQG_TIMEOUT", 10, min_value=1)
MOTCUA_DVCQG_MAX_ATTEMPTS = env_int("MOTCUA_DVCQG_MAX_ATTEMPTS", 8, min_value=1)
MOTCUA_DVCQG_BACKOFF_BASE = env_int("MOTCUA_DVCQG_BACKOFF_BASE", 30, min_value=0)
MOTCUA_DVCQG_BACKOFF_CAP = env_int("MOTCUA_DVCQG_BACKOFF_CAP", 3600, min_value=0)
MOTCUA_DVCQG_BATCH = env_int("MOTCUA_DVCQG_BATCH", 50, min_value=1, max_value=1000)
MOTCUA_DVCQG_POLL_SECONDS = env_int("MOTCUA_DVCQG_POLL_SECONDS", 5, min_value=1)

# --- Digital signatures (issue 15: motcua.signing, docs/ky-so.md) -----------------------------
# Trust roots for verifying signed PDFs: PEM (or DER) files of the national root CAs, comma-separated.
MOTCUA_TRUST_ROOTS = env_list("MOTCUA_TRUST_ROOTS", [])
# An RFC 3161 timestamp authority; empty: signatures carry the signer's clock only (PAdES B-B).
MOTCUA_TSA_URL = env_str("MOTCUA_TSA_URL", "")
MOTCUA_TSA_TIMEOUT = env_int("MOTCUA_TSA_TIMEOUT", 10, min_value=1)
# Embed revocation data (OCSP/CRL, PAdES B-LT) when the certificate points to it; best effort.
MOTCUA_SIGN_LTV = env_bool("MOTCUA_SIGN_LTV", True)
# The agency's own key, which signs after the leader (the electronic seal): a PKCS#12 file, or a
# key on a PKCS#11 token/HSM (module + token label + key label). The secret is the PKCS#12
# password or the token PIN. Unset: results carry the leader's signature only.
MOTCUA_SIGN_AGENCY_PKCS12 = env_str("MOTCUA_SIGN_AGENCY_PKCS12", "")
MOTCUA_SIGN_PKCS11_MODULE = env_str("MOTCUA_SIGN_PKCS11_MODULE", "")
MOTCUA_SIGN_AGENCY_TOKEN_LABEL = env_str("MOTCUA_SIGN_AGENCY_TOKEN_LABEL", "")
MOTCUA_SIGN_AGENCY_KEY_LABEL = env_str("MOTCUA_SIGN_AGENCY_KEY_LABEL", "")
MOTCUA_SIGN_AGENCY_SECRET = env_str("MOTCUA_SIGN_AGENCY_SECRET", "")
# The agency's name in the visible signature block (default: the certificate's organisation).
MOTCUA_SIGN_AGENCY_NAME = env_str("MOTCUA_SIGN_AGENCY_NAME", "")

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MOTCUA_LOG_LEVEL", "INFO").upper()},
}
# Background work (motcua.reports.tasks): django-tasks with its database backend; `motcua db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
