import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ici_site.settings")

django_application = get_wsgi_application()

from ici_site.page_cache import ServeCachedPages  # noqa: E402 (needs settings)

# Cached pages are answered before Django builds a request (see page_cache.py).
application = ServeCachedPages(django_application)
