"""The notifications context as the platform uses it: the consumer, filled with the ledger's and identity's
facts through their public ports, the outbox of e-mails and the mail server of the settings."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from cachetools import LRUCache, TTLCache
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from gateway.bootstrap.bus import context_topics
from gateway.bootstrap.platform import Platform
from gateway.settings import Settings
from services.events.service_layer.consumer import Consumer
from services.identity.domain.roles import Role
from services.identity.domain.users import User
from services.identity.service_layer.ports import UserRepository
from services.ledger.api import LedgerViews
from services.notifications import bootstrap as notifications
from services.notifications.bootstrap import SmtpMailer, SmtpSettings, SqlMailOutbox
from services.notifications.domain.notices import Recipient
from services.notifications.entrypoints.consumer import build_consumer
from services.notifications.service_layer.notify import Sources
from services.notifications.service_layer.ports import HeldAccount, Movement, People, Registry
from services.notifications.service_layer.sending import MailSender
from tenants.domain.model import Tenant

TOPIC_CONTEXTS = ("ledger", "identity")
REGISTRY_FACTS_TTL_S = 60.0
ACCOUNTS_KEPT = 50_000


class CatalogueRegistries:
    """Registries' codes, names and default languages, from the catalogue, kept for a minute."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self._tenants: TTLCache[UUID, Tenant] = TTLCache(maxsize=10_000, ttl=REGISTRY_FACTS_TTL_S)

    def tenant(self, tenant_id: UUID) -> Tenant | None:
        if tenant_id not in self._tenants:
            self._tenants.update({tenant.id: tenant for tenant in self.platform.catalogue.list()})
        return self._tenants.get(tenant_id)

    def registry(self, tenant_id: UUID) -> Registry | None:
        tenant = self.tenant(tenant_id)
        if tenant is None:
            return None
        return Registry(tenant.code, tenant.name, str(tenant.settings.get("default_language", "en")))


class LedgerViewsFacts:
    """Accounts and transactions through the ledger's query port."""

    def __init__(self, platform: Platform, registries: CatalogueRegistries) -> None:
        self.platform = platform
        self.registries = registries
        # An account's number and holder never change once it is opened: kept without expiry, bounded in size.
        self._accounts: LRUCache[tuple[UUID, UUID], HeldAccount] = LRUCache(maxsize=ACCOUNTS_KEPT)

    def account(self, tenant_id: UUID, account_id: UUID) -> HeldAccount | None:
        if (kept := self._accounts.get((tenant_id, account_id))) is not None:
            return kept
        views = self._views(tenant_id)
        found = views.account(account_id) if views else None
        if found is None:
            return None
        held = self._accounts[(tenant_id, account_id)] = HeldAccount(found.id, str(found.number), found.holder_id)
        return held

    def movement(self, tenant_id: UUID, transaction_id: UUID) -> Movement | None:
        views = self._views(tenant_id)
        found = views.transaction(transaction_id) if views else None
        if found is None:
            return None
        return Movement(
            found.id, found.number, str(found.type), found.quantity, found.source_account_id, found.execute_after
        )

    def _views(self, tenant_id: UUID) -> LedgerViews | None:
        tenant = self.registries.tenant(tenant_id)
        return self.platform.ledger.views(self.platform.ledger_tenant(tenant)) if tenant else None


class IdentityPeople:
    """People who can sign in and have an e-mail address, from the identity context, each read in a transaction
    of its own; `within` reads them in the consumer's transaction instead."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    def representatives(self, tenant_id: UUID, organization_id: UUID) -> list[Recipient]:
        with self.platform.identity.uow(tenant_id) as uow:
            return _representatives(uow.users.of_organization(organization_id))

    def person(self, tenant_id: UUID, user_id: UUID) -> Recipient | None:
        with self.platform.identity.uow(tenant_id) as uow:
            return _person(uow.users.get(user_id))

    def within(self, session: Session) -> People:
        return PeopleInTransaction(self.platform.identity.users_in(session))


class PeopleInTransaction:
    """The same reads in a transaction already bound to the event's registry: one statement each, no round
    trips to begin, bind and commit one of their own (issue 17)."""

    def __init__(self, users: UserRepository) -> None:
        self.users = users

    def representatives(self, tenant_id: UUID, organization_id: UUID) -> list[Recipient]:
        return _representatives(self.users.of_organization(organization_id))

    def person(self, tenant_id: UUID, user_id: UUID) -> Recipient | None:
        return _person(self.users.get(user_id))


def _representatives(people: Sequence[User]) -> list[Recipient]:
    return [_recipient(user) for user in people if Role.ACCOUNT_REPRESENTATIVE in user.role_set and _reachable(user)]


def _person(user: User | None) -> Recipient | None:
    return _recipient(user) if user is not None and _reachable(user) else None


def _reachable(user: User) -> bool:
    return bool(user.email) and not user.disabled


def _recipient(user: User) -> Recipient:
    return Recipient(user.id, user.display_name or user.username, str(user.email))


def mailer_for(settings: Settings) -> SmtpMailer | None:
    smtp = settings.smtp
    if not smtp.enabled:
        return None
    return notifications.mailer(
        SmtpSettings(smtp.host, smtp.port, smtp.sender, smtp.starttls, smtp.username, smtp.password)
    )


def sender_for(platform: Platform, outbox: SqlMailOutbox | None = None) -> MailSender:
    def served() -> list[UUID]:
        return [tenant.id for tenant in platform.catalogue.list() if tenant.is_served]

    return MailSender(
        outbox or notifications.outbox(platform.database), mailer_for(platform.settings), served, platform.clock
    )


def outbox_listing(platform: Platform, tenant_id: UUID, status: str | None, limit: int) -> list[RowMapping]:
    """A registry's e-mails, newest first, for operators (`registry notifications`)."""
    return notifications.outbox(platform.database).listing(tenant_id, status, limit)


def consumer_for(platform: Platform) -> Consumer:
    registries = CatalogueRegistries(platform)
    sources = Sources(
        LedgerViewsFacts(platform, registries), IdentityPeople(platform), registries, platform.settings.public_url
    )
    outbox = notifications.outbox(platform.database)
    topics = context_topics(platform.settings, TOPIC_CONTEXTS)
    people_in = IdentityPeople(platform).within
    return build_consumer(topics, sources, outbox, sender_for(platform, outbox), platform.clock, people_in)
