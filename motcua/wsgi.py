"""WSGI entry point: `gunicorn motcua.wsgi:application`."""

import os

from motcua.core.startup import collector_paused

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

# The apps load with the collector paused, and their objects are frozen (motcua.core.startup).
with collector_paused():
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
