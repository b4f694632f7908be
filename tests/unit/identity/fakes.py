"""In-memory stand-ins for the identity context's adapters."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from services.identity.domain.audit import AuditEntry, PlatformAuditEntry
from services.identity.domain.clients import Client
from services.identity.domain.federation import IdentityProvider
from services.identity.domain.model import Organization
from services.identity.domain.roles import Role
from services.identity.domain.tokens import AuthorizationCode, PurgedGrants, RefreshToken, SigningKey
from services.identity.domain.users import Account, Operator, User


class FakeHasher:
    def hash(self, password: str) -> str:
        return f"hashed:{password}"

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == f"hashed:{password}"

    def waste_time(self) -> None:
        pass


class FakeTotp:
    def new_secret(self) -> str:
        return "SECRET"

    def accepted_step(self, secret: str, code: str, now: datetime) -> int | None:
        """'{secret}-ok' is the right code at any time; its step is the current 30-second one."""
        return int(now.timestamp()) // 30 if code == f"{secret}-ok" else None

    def provisioning_uri(self, secret: str, account: str, issuer: str) -> str:
        return f"otpauth://totp/{issuer}:{account}?secret={secret}"


class FakeBox:
    def encrypt(self, plaintext: bytes, context: str) -> bytes:
        return base64.b64encode(context.encode() + b"|" + plaintext)

    def decrypt(self, ciphertext: bytes, context: str) -> bytes:
        prefix, _, plain = base64.b64decode(ciphertext).partition(b"|")
        assert prefix == context.encode(), "decrypted under another context"
        return plain


class FakeKeyFactory:
    def __init__(self) -> None:
        self.count = 0

    def generate(self) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
        self.count += 1
        kid = f"kid-{self.count}"
        return kid, "ES256", {"kid": kid, "public": True}, {"kid": kid, "private": True}


@dataclass
class _Store:
    users: dict[UUID, User] = field(default_factory=dict)
    operators: dict[UUID, Operator] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    providers: dict[UUID, IdentityProvider] = field(default_factory=dict)
    organizations: dict[UUID, Organization] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    platform_audit: list[PlatformAuditEntry] = field(default_factory=list)
    codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    refresh: dict[str, RefreshToken] = field(default_factory=dict)
    revoked: dict[str, datetime] = field(default_factory=dict)
    spent: dict[str, datetime] = field(default_factory=dict)
    keys: list[SigningKey] = field(default_factory=list)


class _Users:
    def __init__(self, store: _Store) -> None:
        self.store = store

    def add(self, user: User) -> None:
        self.store.users[user.id] = user

    def get(self, user_id: UUID) -> User | None:
        return self.store.users.get(user_id)

    def by_username(self, username: str) -> User | None:
        return next((u for u in self.store.users.values() if u.username == username), None)

    def list(self) -> list[User]:
        return sorted(self.store.users.values(), key=lambda u: u.username)

    def of_organization(self, organization_id: UUID) -> list[User]:
        return [u for u in self.list() if u.organization_id == organization_id]

    def anyone_with(self, role: Role) -> bool:
        return any(role.value in u.roles for u in self.store.users.values())

    def claim_totp_step(self, user_id: UUID, step: int) -> bool:
        return _claim(self.store.users[user_id], step)


class _Operators:
    def __init__(self, store: _Store) -> None:
        self.store = store

    def add(self, operator: Operator) -> None:
        self.store.operators[operator.id] = operator

    def get(self, operator_id: UUID) -> Operator | None:
        return self.store.operators.get(operator_id)

    def by_username(self, username: str) -> Operator | None:
        return next((o for o in self.store.operators.values() if o.username == username), None)

    def claim_totp_step(self, operator_id: UUID, step: int) -> bool:
        return _claim(self.store.operators[operator_id], step)

    def list(self) -> list[Operator]:
        return sorted(self.store.operators.values(), key=lambda o: o.username)


def _claim(account: Account, step: int) -> bool:
    if account.totp_last_step is not None and account.totp_last_step >= step:
        return False
    account.totp_last_step = step
    return True


class _Simple:
    """Clients, providers, organizations, audit, grants and keys: thin dict and list wrappers."""

    def __init__(self, store: _Store) -> None:
        self.store = store


class _Clients(_Simple):
    def add(self, client: Client) -> None:
        self.store.clients[client.client_id] = client

    def get(self, client_id: str) -> Client | None:
        return self.store.clients.get(client_id)

    def list(self) -> list[Client]:
        return list(self.store.clients.values())


class _Providers(_Simple):
    def add(self, provider: IdentityProvider) -> None:
        self.store.providers[provider.id] = provider

    def get(self, provider_id: UUID) -> IdentityProvider | None:
        return self.store.providers.get(provider_id)

    def by_issuer(self, issuer: str) -> IdentityProvider | None:
        return next((p for p in self.store.providers.values() if p.issuer == issuer), None)

    def list(self) -> list[IdentityProvider]:
        return list(self.store.providers.values())

    def remove(self, provider: IdentityProvider) -> None:
        del self.store.providers[provider.id]


class _Organizations(_Simple):
    def get(self, organization_id: UUID) -> Organization | None:
        return self.store.organizations.get(organization_id)

    def add(self, organization: Organization) -> None:
        self.store.organizations[organization.id] = organization

    def list(self) -> list[Organization]:
        return list(self.store.organizations.values())


class _Audit(_Simple):
    def add(self, entry: AuditEntry) -> None:
        self.store.audit.append(entry)

    def add_platform(self, entry: PlatformAuditEntry) -> None:
        self.store.platform_audit.append(entry)

    def list(self, *, actor: str | None, action: str | None, limit: int) -> list[AuditEntry]:
        found = [e for e in reversed(self.store.audit) if actor in (None, e.actor) and action in (None, e.action)]
        return found[:limit]

    def list_platform(self, *, limit: int) -> list[PlatformAuditEntry]:
        return list(reversed(self.store.platform_audit))[:limit]


class _Grants(_Simple):
    def add_code(self, code: AuthorizationCode) -> None:
        self.store.codes[code.code_hash] = code

    def take_code(self, code_hash: str) -> AuthorizationCode | None:
        return self.store.codes.pop(code_hash, None)

    def add_refresh(self, token: RefreshToken) -> None:
        self.store.refresh[token.token_hash] = token

    def refresh(self, token_hash: str) -> RefreshToken | None:
        return self.store.refresh.get(token_hash)

    def revoke_jti(self, jti: str, tenant_id: UUID | None, expires_at: datetime) -> None:
        self.store.revoked[jti] = expires_at

    def is_revoked(self, jti: str) -> bool:
        return jti in self.store.revoked

    def revoke_refresh_of(self, user_id: UUID, now: datetime) -> None:
        for token in self.store.refresh.values():
            if token.user_id == user_id and token.revoked_at is None:
                token.revoked_at = now

    def spend_proof(self, proof_hash: str, tenant_id: UUID | None, expires_at: datetime) -> bool:
        fresh = proof_hash not in self.store.spent
        self.store.spent.setdefault(proof_hash, expires_at)
        return fresh

    def purge_expired(self, before: datetime) -> PurgedGrants:
        codes = [h for h, c in self.store.codes.items() if c.expires_at < before]
        refresh = [h for h, t in self.store.refresh.items() if t.expires_at < before]
        revoked = [j for j, expires_at in self.store.revoked.items() if expires_at < before]
        for key in codes:
            del self.store.codes[key]
        for key in refresh:
            del self.store.refresh[key]
        for key in revoked:
            del self.store.revoked[key]
        return PurgedGrants(len(codes), len(refresh), len(revoked))


class _Keys(_Simple):
    def add(self, key: SigningKey) -> None:
        self.store.keys.append(key)

    def list(self) -> list[SigningKey]:
        return list(self.store.keys)


class FakeUnitOfWork:
    def __init__(self, tenant_id: UUID | None = None, store: _Store | None = None) -> None:
        self.tenant_id = tenant_id
        self.store = store or _Store()
        self.commits = 0
        self.users = _Users(self.store)
        self.operators = _Operators(self.store)
        self.clients = _Clients(self.store)
        self.providers = _Providers(self.store)
        self.organizations = _Organizations(self.store)
        self.audit = _Audit(self.store)
        self.grants = _Grants(self.store)
        self.keys = _Keys(self.store)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        pass

    def commit(self) -> None:
        self.commits += 1
