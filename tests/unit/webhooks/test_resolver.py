"""A host that does not resolve, or is not a host name at all, has no address: the endpoint is refused."""

from __future__ import annotations

import pytest

from services.webhooks.adapters.resolver import SystemResolver


@pytest.mark.parametrize("host", ["", "x\x00y", "a" * 300, "a" * 64 + ".com", "nowhere.invalid"])
def test_a_host_that_is_not_a_resolvable_name_has_no_address(host: str) -> None:
    assert SystemResolver().addresses(host) == []


def test_an_address_and_localhost_resolve_to_themselves() -> None:
    assert SystemResolver().addresses("93.184.216.34") == ["93.184.216.34"]
    assert "127.0.0.1" in SystemResolver().addresses("localhost")
