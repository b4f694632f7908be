from __future__ import annotations

from sqlalchemy import Column, DateTime, Enum, PrimaryKeyConstraint, String, UniqueConstraint
from sqlalchemy.types import Uuid

from services.identity.domain.model import Organization, OrganizationKind
from tenants.adapters.database import mapper_registry, tenant_table

organizations = tenant_table(
    "organizations",
    Column("id", Uuid, nullable=False),
    Column("name", String(200), nullable=False),
    Column(
        "kind",
        Enum(OrganizationKind, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e]),
        nullable=False,
    ),
    Column("country", String(3), nullable=False),
    Column("identification_number", String(100)),
    Column("email", String(254)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("id"),
    UniqueConstraint("tenant_id", "name"),
)


def start_mappers() -> None:
    if all(m.class_ is not Organization for m in mapper_registry.mappers):
        mapper_registry.map_imperatively(Organization, organizations)
