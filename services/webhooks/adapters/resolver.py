"""Host names to IP addresses through the system resolver."""

from __future__ import annotations

import socket


class SystemResolver:
    def addresses(self, host: str) -> list[str]:
        try:
            found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError, ValueError):  # no such name, or not a name at all
            return []
        return sorted({str(info[4][0]) for info in found})
