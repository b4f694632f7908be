"""The ledger's projects and issuances as the CAD Trust diff reads them (its `LedgerProjects` port), through
the ledger's public read path, in the tenant's own session."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.ledger import api as ledger
from services.shared.db.database import Database


class LedgerProjectReads:
    def __init__(self, database: Database, tenant_id: UUID) -> None:
        self.database, self.tenant_id = database, tenant_id

    def projects(self) -> list[dict[str, Any]]:
        with self.database.transaction(self.tenant_id) as session:
            found = ledger.registry_projects(session, self.tenant_id)
        return [
            {"project_id": str(p.id), "name": p.name, "developer": p.developer, "sector": p.sector,
             "project_type": p.project_type, "methodology": p.methodology, "status": str(p.status),
             "country": p.country, "cooperative_approach_id": p.cooperative_approach_id}
            for p in found
        ]  # fmt: skip

    def issuances(self) -> list[dict[str, Any]]:
        with self.database.transaction(self.tenant_id) as session:
            found = ledger.registry_issuances(session, self.tenant_id)
        return [
            {"issuance_id": str(i.id), "project_id": str(i.project_id), "verifier": i.verifier,
             "monitoring_start": i.monitoring_start.isoformat(), "monitoring_end": i.monitoring_end.isoformat(),
             "verified_on": i.verified_on.isoformat(), "issued_on": i.issued_on.isoformat()}
            for i in found
        ]  # fmt: skip
