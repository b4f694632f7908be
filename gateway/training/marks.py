"""The words that mark what leaves a training registry: exports, AEF workbooks and receipts."""

from __future__ import annotations

from tenants.domain.model import Tenant

AEF_MARK = "TRAINING — not a submission"
EXPORT_MARK = "TRAINING — fictional data of a training registry"
RECEIPT_MARK = "TRAINING — not a real retirement"


def mark_for(tenant: Tenant, text: str) -> str | None:
    """`text` for a training registry, None (no mark) for a production one."""
    return text if tenant.is_training else None
