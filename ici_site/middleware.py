"""Request hardening that sits around every view: ids, size limits, headers, faults."""

import logging
import re
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .logs import request_id

logger = logging.getLogger(__name__)

# An id from the load balancer is kept only if it cannot smuggle anything into logs.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def assign_request_id(request):
    """request.id, from the load balancer or new, set once however many middleware
    ask, and set for this thread's logs.

    Not reset afterwards: Django logs 4xx/5xx responses after the middleware
    returns, and the next request on this thread sets its own id anyway.
    """
    if not hasattr(request, "id"):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        safe = SAFE_REQUEST_ID.fullmatch(incoming)
        request.id = incoming if safe else uuid.uuid4().hex
        request_id.set(request.id)
    return request.id


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        assign_request_id(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


class RequestSizeLimitMiddleware:
    """Refuse oversized query strings (400) and bodies (413) before they are parsed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > settings.MAX_QUERY_STRING_LENGTH:
            reason = _("The address is too long. Choose fewer filters.")
            if request.path.startswith(reverse("api:index")):  # the API answers JSON
                return JsonResponse({"error": str(reason)}, status=400)
            return render(request, "400.html", {"reason": reason}, status=400)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return render(request, "400.html", status=400)
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return render(request, "413.html", status=413)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """The headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """A database that is down or locked gives a friendly 503, not a 500 traceback.

    Nothing else is needed to recover: the failed connection is dropped, and
    CONN_HEALTH_CHECKS replaces a persistent one that died, on the next request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable: %s: %s",
            type(exception).__name__,
            str(exception).strip().splitlines()[0] if str(exception) else "",
        )
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
        return response
