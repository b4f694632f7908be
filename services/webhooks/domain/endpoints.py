"""Which endpoint URLs a subscription may name: HTTPS to a public address (no server-side request forgery).

Plain HTTP to the local machine (`localhost`, 127.0.0.1, ::1) is allowed only where the platform setting
`WEBHOOKS_ALLOW_LOOPBACK` says so (development and tests); production refuses that setting. Every address
the host name resolves to must be public: private, loopback, link-local (cloud metadata), shared,
multicast, reserved and unspecified addresses are refused, when subscribing and again before each attempt.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from services.webhooks.domain.subscriptions import SubscriptionRefused

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_URL_LENGTH = 500


def host_of(url: str, *, allow_loopback: bool) -> str:
    """The host to resolve, once the URL's form is right."""
    if len(url) > MAX_URL_LENGTH:
        raise _refused(f"the URL is longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as error:
        raise _refused(f"not a URL: {error}") from None
    host = (parts.hostname or "").lower()
    if not host:
        raise _refused("the URL names no host")
    if parts.username is not None or parts.password is not None:
        raise _refused("credentials in the URL are not allowed")
    if parts.scheme == "https":
        return host
    if parts.scheme == "http" and allow_loopback and host in LOOPBACK_NAMES:
        return host
    raise _refused("use an https:// URL")


def check_addresses(addresses: Iterable[str], *, allow_loopback: bool) -> None:
    """Every address the host resolves to must be public (or loopback, where allowed)."""
    found = list(addresses)
    if not found:
        raise SubscriptionRefused("webhooks.url_unresolvable", "the URL's host name does not resolve", "url")
    for text in found:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if address.is_loopback and allow_loopback:
            continue
        if not address.is_global or address.is_multicast:
            raise SubscriptionRefused(
                "webhooks.url_not_public",
                f"the URL resolves to {address}, which is not a public address: webhooks go to the internet only",
                "url",
            )


def _refused(message: str) -> SubscriptionRefused:
    return SubscriptionRefused("webhooks.url_invalid", message, "url")
