"""One JSON object per log line, tagged with the id of the request that caused it."""

import contextvars
import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime

from django.conf import settings

request_id = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """Only the fields below: never the request object, its headers or its cookies."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        if status_code := getattr(record, "status_code", None):
            entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def anonymous_client(username, ip_address, user_agent, path_info, request):
    """How django-axes names a client in logs: a keyed digest, not a name or address.

    The same account and address always give the same digest, so repeated attacks can
    be followed in the logs without writing down who or where anyone is.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"{username}\x00{ip_address}".encode(),
        hashlib.sha256,
    ).hexdigest()[:16]
    return f"client {digest} on {path_info}"
