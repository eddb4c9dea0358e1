"""python -m tests.wsgi_server PORT: serve the site as configured by the environment."""

import os
import sys
import warnings
from wsgiref.simple_server import WSGIRequestHandler, make_server

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ici_site.settings")
warnings.filterwarnings("ignore", "No directory at")  # as in pyproject.toml
django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

# Tests never run collectstatic, so skip the manifest (as tests/conftest.py does).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass  # keep stderr for the site's own JSON log lines


make_server(
    "127.0.0.1", int(sys.argv[1]), get_wsgi_application(), handler_class=QuietHandler
).serve_forever()
