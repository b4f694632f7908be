from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Enum, String, Table
from sqlalchemy.types import Uuid

from services.shared.db.database import mapper_registry, metadata
from services.shared.db.types import json_document
from tenants.domain.model import Tenant, TenantKind, TenantStatus

tenants = Table(
    "tenants",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("party", String(3), nullable=False),
    Column("registry_id", String(5), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column(
        "status",
        Enum(TenantStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        nullable=False,
    ),
    Column("database_url", String(500)),
    Column("settings", json_document, nullable=False),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status_changed_at", DateTime(timezone=True)),
    Column(
        "kind",
        Enum(TenantKind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        nullable=False,
        default=TenantKind.PRODUCTION,
    ),
)


def start_mappers() -> None:
    if not mapper_registry.mappers or all(m.class_ is not Tenant for m in mapper_registry.mappers):
        mapper_registry.map_imperatively(Tenant, tenants)
