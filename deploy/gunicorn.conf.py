"""gunicorn's settings for the site, used by `dev.py serve` and deploy/ici.service.

gunicorn --config deploy/gunicorn.conf.py --bind 127.0.0.1:8000
"""

import os

wsgi_app = "ici_site.wsgi"
# About two sync workers per core the process may run on (docs/benchmarks.md);
# WEB_CONCURRENCY, which gunicorn's own default reads, sets another number.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * len(os.sched_getaffinity(0))))
# A request still running after this is stuck: its worker is replaced. The longest
# response, the full CSV export of 100 000 activities, streams in about 10 s.
timeout = 60
graceful_timeout = 20
# Requests are logged by nginx in front (deploy/nginx.conf); the site logs its errors.
loglevel = "warning"
