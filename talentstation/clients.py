"""Who is asking: the client's address behind the configured reverse proxies, and a key for it.

Anonymous forms are limited per client (:mod:`talentstation.ratelimit`, the uploads kept for
forms with errors) and logins are throttled per client (django-axes, which is pointed at
:func:`client_ip` by ``AXES_CLIENT_IP_CALLABLE``), so every limit sees the same client.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (env ``AXES_PROXY_COUNT``) each one appends
the address it received the request from to ``X-Forwarded-For``; the client is the entry that
many places from the right, which a client cannot forge (whatever it sends itself stands
further left).
"""

import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac

UNKNOWN = "unknown"


def _address(text):
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's IP address as a string, or None when the request has none.

    ``AXES_CLIENT_IP_CALLABLE`` too. Behind N proxies the client is N places from the right
    of X-Forwarded-For; a proxy that sent no (or no valid) address leaves REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if len(forwarded) >= proxies and (address := _address(forwarded[-proxies])):
            return address
    return _address(remote)


def client_network(address):
    """What one client holds: an IPv4 address, or the /64 of an IPv6 address."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return UNKNOWN
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_key(request):
    """A short key for the client, not its address: limits store no IP addresses."""
    network = client_network(client_ip(request))
    return salted_hmac("talentstation.clients", network, algorithm="sha256").hexdigest()[:32]


class ClientFormMixin:
    """A form limited per client: the view passes ``client=client_key(request)``."""

    client = None

    def __init__(self, *args, client=None, **kwargs):
        if client is not None:
            self.client = client
        super().__init__(*args, **kwargs)
