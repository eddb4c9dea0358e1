"""How django-axes tells one client from another, and names it in logs."""

import hashlib
import hmac
import ipaddress

from django.conf import settings


def client_ip(request):
    """The address the request came from.

    Behind our proxy (DJANGO_BEHIND_PROXY) that is the last X-Forwarded-For entry,
    the one the proxy added, but only when the request comes from a trusted proxy
    (TRUSTED_PROXIES): earlier entries, and the header from anyone else, may be forged.
    """
    address = request.META.get("REMOTE_ADDR")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and is_trusted_proxy(address):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if parsed(given := forwarded[-1].strip()):
            return given
    return address


def parsed(address):
    try:
        return ipaddress.ip_address(address or "")
    except ValueError:
        return None


def is_trusted_proxy(address):
    address = parsed(address)
    return address is not None and any(
        address in ipaddress.ip_network(proxy, strict=False)
        for proxy in settings.TRUSTED_PROXIES
    )


def anonymous_client(username, ip_address, user_agent, path_info, request):
    """A keyed digest of account and address, not the name or the address.

    The same account and address always give the same digest, so repeated attacks can
    be followed in the logs without writing down who or where anyone is.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"{username}\x00{ip_address}".encode(),
        hashlib.sha256,
    ).hexdigest()[:16]
    return f"client {digest} on {path_info}"


def client_digest(request):
    """A keyed digest of the request's address: tells clients apart, names none."""
    address = client_ip(request) or ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]
