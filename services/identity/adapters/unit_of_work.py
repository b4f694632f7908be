from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from services.events.adapters.outbox import OutboxWriter
from services.identity.adapters import repository as repos
from services.identity.domain.tokens import RevokedToken
from services.identity.domain.users import Account
from services.shared.db.database import Database
from services.shared.messages import Event


class SqlAlchemyIdentityUnitOfWork:
    """One transaction on a session bound to `tenant_id` (None: platform rows only). `on_refusals_changed`
    runs after a commit that revoked an access token or disabled or removed an account."""

    def __init__(
        self,
        database: Database,
        tenant_id: UUID | None,
        on_refusals_changed: Callable[[], None] | None = None,
        outbox: OutboxWriter | None = None,
    ) -> None:
        self.database = database
        self.tenant_id = tenant_id
        self.on_refusals_changed = on_refusals_changed
        self.outbox = outbox or OutboxWriter("registry")
        self._depth = 0

    def __enter__(self) -> Self:
        self._depth += 1
        if self._depth == 1:
            self.session: Session = self.database.session(self.tenant_id)
            if self.on_refusals_changed is not None:
                event.listen(self.session, "before_flush", _note_refusal_changes)
            self.users = repos.SqlAlchemyUserRepository(self.session)
            self.operators = repos.SqlAlchemyOperatorRepository(self.session)
            self.clients = repos.SqlAlchemyClientRepository(self.session)
            self.providers = repos.SqlAlchemyProviderRepository(self.session)
            self.organizations = repos.SqlAlchemyOrganizationRepository(self.session)
            self.audit = repos.SqlAlchemyAuditRepository(self.session)
            self.grants = repos.SqlAlchemyGrantRepository(self.session)
            self.keys = repos.SqlAlchemyKeyRepository(self.session)
            self.devices = repos.SqlAlchemyDeviceRepository(self.session, self.tenant_id)
            self.events = OutboxEvents(self.session, self.outbox, self.tenant_id)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._depth -= 1
        if self._depth == 0:
            # Detach first: what was read stays readable after the uncommitted rest is rolled back.
            self.session.expunge_all()
            self.session.rollback()
            self.session.close()

    def commit(self) -> None:
        self.session.commit()
        if self.session.info.pop(REFUSALS_CHANGED, False) and self.on_refusals_changed is not None:
            self.on_refusals_changed()


class OutboxEvents:
    """Identity's events go to the outbox in the unit of work's transaction, like every context's."""

    def __init__(self, session: Session, outbox: OutboxWriter, tenant_id: UUID | None) -> None:
        self.session = session
        self.outbox = outbox
        self.tenant_id = tenant_id

    def record(self, event: Event, registry: str, subject: str) -> None:
        if self.tenant_id is None:
            raise ValueError("platform operators' events have no registry to go to")
        self.outbox.add(
            self.session,
            tenant_id=self.tenant_id,
            registry=registry,
            event_type=event.type,
            data=event.to_data(),
            subject=subject,
        )


REFUSALS_CHANGED = "refusals_changed"


def _note_refusal_changes(session: Session, _context: object, _instances: object) -> None:
    if _changes_refusals(session):
        session.info[REFUSALS_CHANGED] = True


def _changes_refusals(session: Session) -> bool:
    if any(isinstance(obj, RevokedToken) for obj in session.new):
        return True
    if any(isinstance(obj, Account) for obj in session.deleted):
        return True
    return any(isinstance(obj, Account) and _disabled_changed(obj) for obj in session.dirty)


def _disabled_changed(account: Account) -> bool:
    state: Any = inspect(account)
    return bool(state.attrs.disabled.history.has_changes())
