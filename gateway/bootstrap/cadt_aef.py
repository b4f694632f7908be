"""The reporting context's AEF submissions as the CAD Trust publisher reads them (its `AefSubmissions` port)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from services.reporting.bootstrap import Reporting
from services.reporting.service_layer import submissions


class ReportingAefSubmissions:
    def __init__(self, reporting: Reporting, tenant_id: UUID) -> None:
        self.store = reporting.submissions(tenant_id)

    def latest(self) -> list[dict[str, Any]]:
        return submissions.latest_done(self.store)

    def sheets(self, submission_id: str) -> Mapping[str, Sequence[Mapping[str, Any]]]:
        return submissions.sheet_rows(self.store, UUID(submission_id))
