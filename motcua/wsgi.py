"""WSGI entry point: `gunicorn motcua.wsgi:application`."""

import os

from motcua.core.startup import collector_paused, load_for_requests

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

# A worker loads the apps and its views with the collector paused, freezes them, and only then
# accepts requests (motcua.core.startup).
with collector_paused():
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    load_for_requests()
