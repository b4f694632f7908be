"""SQLAlchemy repositories; the tenant-bound session adds the tenant criterion to every query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.identity.adapters import orm
from services.identity.domain.audit import AuditEntry, PlatformAuditEntry
from services.identity.domain.clients import Client
from services.identity.domain.devices import KnownDevice
from services.identity.domain.federation import IdentityProvider
from services.identity.domain.model import Organization
from services.identity.domain.roles import Role
from services.identity.domain.tokens import AuthorizationCode, PurgedGrants, RefreshToken, RevokedToken, SigningKey
from services.identity.domain.users import Account, Operator, User


class SqlAlchemyUserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: User) -> None:
        self.session.add(user)

    def get(self, user_id: UUID) -> User | None:
        return self.session.scalars(select(User).where(orm.users.c.id == user_id)).one_or_none()

    def by_username(self, username: str) -> User | None:
        return self.session.scalars(select(User).where(orm.users.c.username == username)).one_or_none()

    def list(self) -> list[User]:
        return list(self.session.scalars(select(User).order_by(orm.users.c.username)))

    def of_organization(self, organization_id: UUID) -> Sequence[User]:
        query = select(User).where(orm.users.c.organization_id == organization_id)
        return self.session.scalars(query.order_by(orm.users.c.username)).all()

    def anyone_with(self, role: Role) -> bool:
        return any(role.value in user.roles for user in self.list())

    def claim_totp_step(self, user_id: UUID, step: int) -> bool:
        return _claim_step(self.session, User, orm.users, user_id, step)


class SqlAlchemyOperatorRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, operator: Operator) -> None:
        self.session.add(operator)

    def get(self, operator_id: UUID) -> Operator | None:
        return self.session.get(Operator, operator_id)

    def by_username(self, username: str) -> Operator | None:
        return self.session.scalars(select(Operator).where(orm.operators.c.username == username)).one_or_none()

    def claim_totp_step(self, operator_id: UUID, step: int) -> bool:
        return _claim_step(self.session, Operator, orm.operators, operator_id, step)

    def list(self) -> list[Operator]:
        return list(self.session.scalars(select(Operator).order_by(orm.operators.c.username)))


def _claim_step(session: Session, entity: type[Account], table: Table, account_id: UUID, step: int) -> bool:
    """Record `step` as the newest accepted one in a single conditional UPDATE, so that of two sign-ins
    with the same code only one changes the row: the other waits for the row lock, then matches nothing."""
    last = table.c.totp_last_step
    claimed = (
        update(entity)
        .where(table.c.id == account_id, or_(last.is_(None), last < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    result: Any = session.execute(claimed)
    return bool(result.rowcount == 1)


class SqlAlchemyClientRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, client: Client) -> None:
        self.session.add(client)

    def get(self, client_id: str) -> Client | None:
        return self.session.scalars(select(Client).where(orm.oauth_clients.c.client_id == client_id)).one_or_none()

    def list(self) -> list[Client]:
        return list(self.session.scalars(select(Client).order_by(orm.oauth_clients.c.created_at)))


class SqlAlchemyProviderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, provider: IdentityProvider) -> None:
        self.session.add(provider)

    def get(self, provider_id: UUID) -> IdentityProvider | None:
        query = select(IdentityProvider).where(orm.identity_providers.c.id == provider_id)
        return self.session.scalars(query).one_or_none()

    def by_issuer(self, issuer: str) -> IdentityProvider | None:
        query = select(IdentityProvider).where(orm.identity_providers.c.issuer == issuer)
        return self.session.scalars(query).one_or_none()

    def list(self) -> list[IdentityProvider]:
        return list(self.session.scalars(select(IdentityProvider).order_by(orm.identity_providers.c.issuer)))

    def remove(self, provider: IdentityProvider) -> None:
        self.session.delete(provider)


class SqlAlchemyOrganizationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, organization_id: UUID) -> Organization | None:
        query = select(Organization).where(orm.organizations.c.id == organization_id)
        return self.session.scalars(query).one_or_none()

    def add(self, organization: Organization) -> None:
        self.session.add(organization)

    def list(self) -> list[Organization]:
        return list(self.session.scalars(select(Organization).order_by(orm.organizations.c.name)))


class SqlAlchemyAuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def list_platform(self, *, limit: int) -> list[PlatformAuditEntry]:
        table = orm.platform_audit_events
        query = select(PlatformAuditEntry).order_by(table.c.occurred_at.desc(), table.c.id.desc()).limit(limit)
        return list(self.session.scalars(query))

    def list(self, *, actor: str | None, action: str | None, limit: int) -> list[AuditEntry]:
        table = orm.audit_events
        query = select(AuditEntry).order_by(table.c.occurred_at.desc(), table.c.id.desc()).limit(limit)
        if actor:
            query = query.where(table.c.actor == actor)
        if action:
            query = query.where(table.c.action == action)
        return list(self.session.scalars(query))


class SqlAlchemyGrantRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_code(self, code: AuthorizationCode) -> None:
        self.session.add(code)

    def take_code(self, code_hash: str) -> AuthorizationCode | None:
        code = self.session.get(AuthorizationCode, code_hash)
        if code is not None:
            self.session.delete(code)
        return code

    def add_refresh(self, token: RefreshToken) -> None:
        self.session.add(token)

    def refresh(self, token_hash: str) -> RefreshToken | None:
        return self.session.get(RefreshToken, token_hash)

    def revoke_jti(self, jti: str, tenant_id: UUID | None, expires_at: datetime) -> None:
        self.session.add(RevokedToken(jti=jti, tenant_id=tenant_id, expires_at=expires_at))

    def is_revoked(self, jti: str) -> bool:
        count = self.session.scalar(select(func.count()).where(orm.revoked_tokens.c.jti == jti))
        return bool(count)

    def revoke_refresh_of(self, user_id: UUID, now: datetime) -> None:
        table = orm.refresh_tokens
        unrevoked = (table.c.user_id == user_id) & table.c.revoked_at.is_(None)
        self.session.execute(update(table).where(unrevoked).values(revoked_at=now))

    def spend_proof(self, proof_hash: str, tenant_id: UUID | None, expires_at: datetime) -> bool:
        """Record a one-time proof; False when it was recorded before (ON CONFLICT: safe under concurrency)."""
        values = {"proof_hash": proof_hash, "tenant_id": tenant_id, "expires_at": expires_at}
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        table = orm.spent_proofs
        statement = dialect.insert(table).values(values).on_conflict_do_nothing().returning(table.c.proof_hash)
        return self.session.execute(statement).first() is not None

    def purge_expired(self, before: datetime) -> PurgedGrants:
        def purge(table: Table) -> int:
            result: Any = self.session.execute(delete(table).where(table.c.expires_at < before))
            return int(result.rowcount)

        return PurgedGrants(
            authorization_codes=purge(orm.authorization_codes),
            refresh_tokens=purge(orm.refresh_tokens),
            revoked_tokens=purge(orm.revoked_tokens),
            spent_proofs=purge(orm.spent_proofs),
        )


class SqlAlchemyKeyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, key: SigningKey) -> None:
        self.session.add(key)

    def list(self) -> list[SigningKey]:
        return list(self.session.scalars(select(SigningKey).order_by(orm.signing_keys.c.created_at)))


class SqlAlchemyDeviceRepository:
    def __init__(self, session: Session, tenant_id: UUID | None) -> None:
        self.session = session
        self.tenant_id = tenant_id

    def seen(self, user_id: UUID, key: str, now: datetime) -> bool:
        table = orm.devices
        result: Any = self.session.execute(
            update(table)
            .where(table.c.tenant_id == self.tenant_id, table.c.user_id == user_id, table.c.device_key == key)
            .values(last_seen=now)
        )
        return bool(result.rowcount == 1)

    def add(self, device: KnownDevice) -> bool:
        """One statement that inserts unless the device is there: a concurrent sign-in from the same new
        device waits for the first to commit, then adds nothing (False)."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert(orm.devices) if dialect == "postgresql" else sqlite.insert(orm.devices)
        statement = insert.values(
            tenant_id=self.tenant_id,
            user_id=device.user_id,
            device_key=device.key,
            description=device.description,
            first_seen=device.first_seen,
            last_seen=device.last_seen,
        ).on_conflict_do_nothing(index_elements=["tenant_id", "user_id", "device_key"])
        return self.session.execute(statement.returning(orm.devices.c.device_key)).first() is not None
