from __future__ import annotations

from types import TracebackType
from typing import Self
from uuid import UUID

from sqlalchemy.orm import Session

from services.identity.adapters import repository as repos
from services.shared.db.database import Database


class SqlAlchemyIdentityUnitOfWork:
    """One transaction on a session bound to `tenant_id` (None: platform rows only)."""

    def __init__(self, database: Database, tenant_id: UUID | None) -> None:
        self.database = database
        self.tenant_id = tenant_id
        self._depth = 0

    def __enter__(self) -> Self:
        self._depth += 1
        if self._depth == 1:
            self.session: Session = self.database.session(self.tenant_id)
            self.users = repos.SqlAlchemyUserRepository(self.session)
            self.operators = repos.SqlAlchemyOperatorRepository(self.session)
            self.clients = repos.SqlAlchemyClientRepository(self.session)
            self.providers = repos.SqlAlchemyProviderRepository(self.session)
            self.organizations = repos.SqlAlchemyOrganizationRepository(self.session)
            self.audit = repos.SqlAlchemyAuditRepository(self.session)
            self.grants = repos.SqlAlchemyGrantRepository(self.session)
            self.keys = repos.SqlAlchemyKeyRepository(self.session)
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
