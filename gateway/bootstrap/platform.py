"""The composition root: what one process holds, built from Settings and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.settings import Settings
from services.events import bootstrap as events_bootstrap  # noqa: F401 - registers the event tables
from services.identity.bootstrap import Identity
from services.identity.bootstrap import bootstrap as bootstrap_identity
from services.identity.bootstrap import start_mappers as start_identity_mappers
from services.interregistry.bootstrap import Interregistry
from services.ledger.bootstrap import Ledger, LedgerTenant
from services.ledger.bootstrap import bootstrap as bootstrap_ledger
from services.notifications import bootstrap as notifications_bootstrap  # noqa: F401 - registers the e-mail outbox
from services.onboarding import bootstrap as onboarding_bootstrap  # noqa: F401 - registers the journey tables
from services.reporting.bootstrap import Reporting
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database
from services.transparency import bootstrap as transparency_bootstrap  # noqa: F401 - registers the log tables
from services.webhooks import bootstrap as webhooks_bootstrap  # noqa: F401 - registers the webhook tables
from tenants.adapters import orm as tenants_orm
from tenants.domain.model import Tenant
from tenants.service_layer.catalogue import TenantCatalogue


def start_mappers() -> None:
    tenants_orm.start_mappers()
    start_identity_mappers()


@dataclass
class Platform:
    settings: Settings
    database: Database
    catalogue: TenantCatalogue
    clock: Clock = SYSTEM_CLOCK  # the one clock every context is built with; tests set a FixedClock
    identity: Identity = field(init=False)
    ledger: Ledger = field(init=False)
    interregistry: Interregistry = field(init=False)
    reporting: Reporting = field(init=False)

    def __post_init__(self) -> None:
        self.identity = bootstrap_identity(
            self.database, self.settings.secret_key, clock=self.clock, topic_prefix=self.settings.kafka.topic_prefix
        )
        self.ledger = bootstrap_ledger(self.database, self.settings.kafka.topic_prefix, self.clock)
        self.interregistry = Interregistry(
            self.database, self.settings.secret_key, self.settings.kafka.topic_prefix, self.clock
        )
        self.reporting = Reporting(self.database)

    @staticmethod
    def ledger_tenant(tenant: Tenant) -> LedgerTenant:
        return LedgerTenant(tenant.id, tenant.code, tenant.party, tenant.registry_id, tenant.settings)

    @classmethod
    def from_settings(cls, settings: Settings) -> Platform:
        start_mappers()
        database = Database(settings.database_url)
        return cls(settings=settings, database=database, catalogue=TenantCatalogue(database, SYSTEM_CLOCK))

    def close(self) -> None:
        self.database.dispose()
