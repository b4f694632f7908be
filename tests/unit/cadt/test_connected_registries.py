from __future__ import annotations

from uuid import uuid4

from services.cadt.service_layer.connected import ConnectedRegistries


def test_a_registry_without_a_connection_is_looked_up_again_only_after_the_ttl() -> None:
    tenant, now, lookups, has = uuid4(), [0.0], [], [False]
    connected = ConnectedRegistries(lambda t: lookups.append(t) or has[0], ttl=5.0, clock=lambda: now[0])

    assert connected(tenant) is False
    has[0] = True
    now[0] = 4.9
    assert connected(tenant) is False
    now[0] = 5.0
    assert connected(tenant) is True
    assert len(lookups) == 2


def test_a_registry_with_a_connection_is_remembered() -> None:
    tenant, lookups = uuid4(), []
    connected = ConnectedRegistries(lambda t: lookups.append(t) is None, clock=lambda: 0.0)

    assert [connected(tenant) for _ in range(3)] == [True, True, True]
    assert lookups == [tenant]
