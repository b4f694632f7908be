"""Builds the reporting context's SQL adapters for one tenant, and names the AEF download formats."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.reporting.adapters.exports import FORMATS
from services.reporting.adapters.exports import write as write_export
from services.reporting.adapters.sql_reconciliation import ProjectionReader
from services.reporting.adapters.sql_reports import SqlReportSource, SqlSubmissionStore
from services.shared.db.database import Database

__all__ = ["EXPORT_FORMATS", "Reporting", "write_export"]

EXPORT_FORMATS = FORMATS  # an AEF download's format and its media type


@dataclass(frozen=True)
class Reporting:
    database: Database

    def source(self, tenant_id: UUID) -> SqlReportSource:
        """What the AEF and the public pages read: the projection of the ledger's events."""
        return SqlReportSource(self.database, tenant_id)

    def submissions(self, tenant_id: UUID) -> SqlSubmissionStore:
        return SqlSubmissionStore(self.database, tenant_id)

    def projection(self, tenant_id: UUID) -> ProjectionReader:
        """The projection's side of the reconciliation."""
        return ProjectionReader(self.database, tenant_id)
