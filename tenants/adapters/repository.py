from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tenants.adapters.orm import tenants
from tenants.domain.model import Tenant


class SqlAlchemyTenantRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, tenant: Tenant) -> None:
        self.session.add(tenant)

    def by_code(self, code: str) -> Tenant | None:
        return self.session.scalars(select(Tenant).where(tenants.c.code == code)).one_or_none()

    def clashing(self, code: str, registry_id: str) -> Tenant | None:
        query = select(Tenant).where(or_(tenants.c.code == code, tenants.c.registry_id == registry_id))
        return self.session.scalars(query).first()

    def list(self) -> list[Tenant]:
        return list(self.session.scalars(select(Tenant).order_by(tenants.c.code)))
