from __future__ import annotations

from uuid import UUID, uuid4

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


def test_several_registries_are_looked_up_together_and_the_ttl_still_holds() -> None:
    one, two, three = uuid4(), uuid4(), uuid4()
    now, batches = [0.0], []

    def with_connection(tenant_ids: list[UUID]) -> set[UUID]:
        batches.append(set(tenant_ids))
        return {one} & set(tenant_ids)

    connected = ConnectedRegistries(lambda t: False, with_connection=with_connection, ttl=5.0, clock=lambda: now[0])

    assert connected.among([one, two, three]) == {one}
    now[0] = 4.9
    assert connected.among([one, two, three]) == {one}
    now[0] = 5.0
    assert connected.among([one, two, three]) == {one}
    assert batches == [{one, two, three}, {two, three}]
