"""Tenant lifecycle: the same rules for the CLI and the platform API."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from uuid6 import uuid7

from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import ROUTE_TTL, Database
from services.shared.expiring import ExpiringAnswers, Timer
from tenants.adapters.repository import SqlAlchemyTenantRepository
from tenants.domain.errors import DuplicateTenant, InvalidTenant, TenantNotFound
from tenants.domain.model import Tenant, TenantKind, validate_identity
from tenants.service_layer.dedicated import anchor, open_dedicated
from tenants.settings_schema import setting_names, validate_settings

# A registry's status, settings and route, as the request path sees them, are at most this old: the same
# bound as the database routes', which `registry tenants move` waits out.
CATALOGUE_TTL = ROUTE_TTL
CATALOGUE_ENTRIES = 10_000


@dataclass(frozen=True)
class CreateTenant:
    code: str
    party: str
    registry_id: str
    name: str
    settings: dict[str, Any] = field(default_factory=dict)
    database_url: str | None = None
    is_demo: bool = False
    kind: TenantKind = TenantKind.PRODUCTION


class TenantCatalogue:
    def __init__(self, database: Database, clock: Clock = SYSTEM_CLOCK, *, timer: Timer = time.monotonic) -> None:
        self.database = database
        self.clock = clock
        self._served: ExpiringAnswers[str, Tenant] = ExpiringAnswers(CATALOGUE_TTL, CATALOGUE_ENTRIES, timer=timer)

    def create(self, command: CreateTenant) -> Tenant:
        validate_identity(command.code, command.party, command.registry_id)
        if not command.name.strip():
            raise InvalidTenant("name must not be empty: give the registry's display name")
        settings = validate_settings(command.settings)
        dedicated = open_dedicated(self.database, command.database_url) if command.database_url else None
        with self.database.transaction(None) as session:
            repository = SqlAlchemyTenantRepository(session)
            clash = repository.clashing(command.code, command.registry_id)
            if clash is not None:
                raise DuplicateTenant(_clash_message(clash, command))
            tenant = Tenant(
                id=uuid7(),
                code=command.code,
                party=command.party,
                registry_id=command.registry_id,
                name=command.name.strip(),
                created_at=self.clock.now(),
                database_url=command.database_url,
                settings=settings,
                is_demo=command.is_demo,
                kind=command.kind,
            )
            tenant.move("activate", self.clock.now())
            if dedicated is not None:
                anchor(dedicated, tenant)
            repository.add(tenant)
        self.database.remember_route(tenant.id, tenant.database_url)
        return tenant

    def get(self, code: str) -> Tenant:
        tenant = self.find(code)
        if tenant is None:
            raise TenantNotFound(f"no tenant {code!r}: list them with 'registry tenants list'")
        return tenant

    def find(self, code: str) -> Tenant | None:
        with self.database.session(None) as session:
            tenant = SqlAlchemyTenantRepository(session).by_code(code)
        if tenant is not None:
            self.database.remember_route(tenant.id, tenant.database_url)
        return tenant

    def lookup(self, code: str) -> Tenant | None:
        """The tenant as read at most CATALOGUE_TTL seconds ago, for every request: changes made through this
        catalogue are seen at once, other processes' within the bound. An unknown code is read each time."""
        return self._served.get(code, lambda: self.find(code))

    def forget(self, code: str) -> None:
        self._served.forget(code)

    def list(self) -> list[Tenant]:
        with self.database.session(None) as session:
            found = SqlAlchemyTenantRepository(session).list()
        for tenant in found:
            self.database.remember_route(tenant.id, tenant.database_url)
        return found

    def change_status(self, code: str, command: str) -> Tenant:
        with self.database.transaction(None) as session:
            tenant = SqlAlchemyTenantRepository(session).by_code(code)
            if tenant is None:
                raise TenantNotFound(f"no tenant {code!r}: list them with 'registry tenants list'")
            tenant.move(command, self.clock.now())
        self.forget(code)
        return tenant


def _clash_message(clash: Tenant, command: CreateTenant) -> str:
    if clash.code == command.code:
        return f"a tenant with code {command.code!r} exists already: choose another code"
    return f"registry id {command.registry_id!r} is taken by tenant {clash.code!r}: use the next number"


# Only the platform operator sets these, in one action during an incident (`freeze_transfers_abroad`).
OPERATOR_SETTINGS = frozenset({"transfers_abroad_frozen"})


def change_settings(catalogue: TenantCatalogue, code: str, changes: dict[str, Any]) -> Tenant:
    """A registry's own settings, changed by its administrators: the changed keys over the current settings,
    validated by the same schema and rules as a new tenant's. Identity, status and database stay as they are."""
    unknown = sorted(set(changes) - (setting_names() - OPERATOR_SETTINGS))
    if unknown:
        raise InvalidTenant(f"settings field {unknown[0]}: not a tenant setting; see tenants/config/defaults.json")
    return _replace_settings(catalogue, code, lambda current: {**current, **changes})


def freeze_transfers_abroad(catalogue: TenantCatalogue, code: str, reason: str | None, by: str) -> Tenant:
    """The operator's incident switch: with a reason, no transfer abroad leaves the registry (the ledger refuses
    it, LDG-082); with None, the freeze is lifted."""
    if reason is not None and not reason.strip():
        raise InvalidTenant("settings field transfers_abroad_frozen/reason: say why transfers abroad are frozen")

    def frozen(current: dict[str, Any]) -> dict[str, Any]:
        kept = {key: value for key, value in current.items() if key != "transfers_abroad_frozen"}
        if reason is None:
            return kept
        at = catalogue.clock.now().isoformat()
        return {**kept, "transfers_abroad_frozen": {"reason": reason.strip(), "frozen_at": at, "frozen_by": by}}

    return _replace_settings(catalogue, code, frozen)


def _replace_settings(
    catalogue: TenantCatalogue, code: str, change: Callable[[dict[str, Any]], dict[str, Any]]
) -> Tenant:
    with catalogue.database.transaction(None) as session:
        tenant = SqlAlchemyTenantRepository(session).by_code(code)
        if tenant is None:
            raise TenantNotFound(f"no tenant {code!r}: list them with 'registry tenants list'")
        tenant.settings = validate_settings(change(dict(tenant.settings)))
    catalogue.forget(code)
    return tenant
