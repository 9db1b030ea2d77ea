from django.conf import settings
from django.db import connection


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ


def test_debug_off_by_default():
    assert settings.DEBUG is False


def test_middleware_order():
    mw = settings.MIDDLEWARE
    assert mw.index("whitenoise.middleware.WhiteNoiseMiddleware") == 1
    assert (
        mw.index("django.contrib.sessions.middleware.SessionMiddleware")
        < mw.index("django.middleware.locale.LocaleMiddleware")
        < mw.index("django.middleware.common.CommonMiddleware")
    )


def test_apps_installed():
    for app in ("motcua.core", "motcua.calendars", "motcua.audit", "motcua.portal"):
        assert app in settings.INSTALLED_APPS


def test_sqlite_options_when_sqlite():
    if connection.vendor != "sqlite":
        return
    options = settings.DATABASES["default"]["OPTIONS"]
    assert "PRAGMA journal_mode=WAL;" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
