"""The HTTP benchmark's registries, accounts and machine clients, set up through the service layer.

Every load client gets, in each registry it works in, its own machine client (client credentials, the
registry administrator's role) and its own lane: a source account holding one block and a destination.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from bench.http_load import Lane, fetch_token
from bench.ledger import ServiceLedger, set_up
from gateway.auth.principal import Role
from gateway.bootstrap import Platform
from services.identity.service_layer import clients
from tenants.service_layer.catalogue import CreateTenant

FUNDS = 10**7  # units in each source block: far more than any run moves


@dataclass(frozen=True)
class LaneSpec:
    """A lane before its token: the registry, the machine client that will sign in, the two accounts."""

    registry: str
    client_id: str
    secret: str
    source: UUID
    destination: UUID

    def signed_in(self, port: int) -> Lane:
        token = fetch_token(port, self.registry, self.client_id, self.secret)
        return Lane(self.registry, token, str(self.source), str(self.destination))


@dataclass
class BenchRegistry:
    ledger: ServiceLedger
    lanes: list[LaneSpec] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.ledger.tenant.code

    def add_lanes(self, platform: Platform, count: int, source: UUID | None = None) -> list[LaneSpec]:
        """`count` new lanes, each with its own machine client; all from `source` when given (a hot account)."""
        added = []
        for _ in range(count):
            number = len(self.lanes)
            client_id, secret = machine_client(platform, self.ledger.tenant.id, f"bench load {number}")
            origin = source or self.ledger.funded(FUNDS, f"Source {number}")
            lane = LaneSpec(self.code, client_id, secret, origin, self.ledger.account(f"Destination {number}"))
            self.lanes.append(lane)
            added.append(lane)
        return added


def new_registry(platform: Platform, number: int, code: str) -> BenchRegistry:
    command = CreateTenant(code=code, party="GHA", registry_id=f"GHA{number:02d}", name=f"Benchmark registry {number}")
    return BenchRegistry(set_up(platform, command))


def machine_client(platform: Platform, tenant_id: UUID, name: str) -> tuple[str, str]:
    uow = platform.identity.uow(tenant_id)
    client, secret = clients.create_client(
        clients.CreateClient(name, frozenset({Role.REGISTRY_ADMIN})), uow, platform.identity.credentials
    )
    return client.client_id, secret


@dataclass
class World:
    """Everything the runs use: the main registry, a quiet one, the 50, a hot account in the main one and the
    registry with a history."""

    main: BenchRegistry
    quiet: BenchRegistry
    spread: list[BenchRegistry]
    hot: list[LaneSpec]
    history: BenchRegistry | None = None  # with a seeded history (bench/history.py), when measured


def build_world(platform: Platform, max_clients: int, spread_registries: int, quiet_clients: int) -> World:
    main = new_registry(platform, 0, "bench-main")
    main.add_lanes(platform, max_clients)
    hot_source = main.ledger.funded(FUNDS, "Hot account")
    hot = main.add_lanes(platform, max_clients, source=hot_source)
    quiet = new_registry(platform, 1, "bench-quiet")
    quiet.add_lanes(platform, quiet_clients)
    spread = [new_registry(platform, 2 + n, f"bench-{n:02d}") for n in range(spread_registries)]
    for registry in spread:
        registry.add_lanes(platform, 1)
    return World(main, quiet, spread, hot)


def spread_over(registries: list[BenchRegistry], clients_count: int) -> list[list[LaneSpec]]:
    """Client c works in every registry r with r % clients == c, one transfer in each in turn."""
    return [[registries[r].lanes[0] for r in range(c, len(registries), clients_count)] for c in range(clients_count)]
