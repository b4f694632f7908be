"""Wires the identity context's adapters into its service layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy.orm import Session

from services.events.adapters.outbox import OutboxWriter
from services.identity.adapters.audit_log import SqlAuditLog
from services.identity.adapters.orm import start_mappers
from services.identity.adapters.passwords import Argon2PasswordHasher
from services.identity.adapters.repository import SqlAlchemyUserRepository
from services.identity.adapters.signing_keys import EcKeyFactory
from services.identity.adapters.totp import PyOtpTotp
from services.identity.adapters.unit_of_work import SqlAlchemyIdentityUnitOfWork
from services.identity.domain.users import LockoutPolicy
from services.identity.service_layer.accounts import Credentials
from services.identity.service_layer.keys import KeyRing
from services.identity.service_layer.ports import AuditLog, IdentityUnitOfWork, PasswordHasher, UserRepository
from services.identity.service_layer.refusals import RefusalCache
from services.shared.clock import Clock, SystemClock
from services.shared.db.database import Database
from services.shared.secret_box import AesGcmSecretBox

__all__ = ["ACCESS_TOKEN_SECONDS", "Identity", "bootstrap", "start_mappers"]

ACCESS_TOKEN_SECONDS = 300


@dataclass
class Identity:
    database: Database
    credentials: Credentials
    keys: KeyRing
    refusals: RefusalCache = field(default_factory=RefusalCache)
    topic_prefix: str = "registry"

    def uow(self, tenant_id: UUID | None) -> IdentityUnitOfWork:
        outbox = OutboxWriter(self.topic_prefix, clock=self.credentials.clock)
        return SqlAlchemyIdentityUnitOfWork(self.database, tenant_id, self.refusals.forget_all, outbox)

    def users_in(self, session: Session) -> UserRepository:
        """People read in a transaction the caller opened for the tenant (a consumer's), without one of their own."""
        return SqlAlchemyUserRepository(session)

    def audit_log(self, tenant_id: UUID | None) -> AuditLog:
        return SqlAuditLog(self.database, tenant_id)

    @property
    def clock(self) -> Clock:
        return self.credentials.clock


def bootstrap(
    database: Database,
    secret_key: str,
    *,
    clock: Clock | None = None,
    policy: LockoutPolicy | None = None,
    hasher: PasswordHasher | None = None,
    access_token_seconds: int = ACCESS_TOKEN_SECONDS,
    topic_prefix: str = "registry",
) -> Identity:
    clock = clock or SystemClock()
    box = AesGcmSecretBox(secret_key)
    credentials = Credentials(
        hasher=hasher or Argon2PasswordHasher(),
        totp=PyOtpTotp(),
        box=box,
        clock=clock,
        policy=policy or LockoutPolicy(),
    )
    keys = KeyRing(factory=EcKeyFactory(), box=box, clock=clock, token_lifetime_seconds=access_token_seconds)
    return Identity(database=database, credentials=credentials, keys=keys, topic_prefix=topic_prefix)
