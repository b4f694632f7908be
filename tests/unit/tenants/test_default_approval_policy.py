"""A registry created without an approval policy holds every transfer abroad for a second person."""

from __future__ import annotations

from uuid import uuid4

import pytest

from services.ledger.bootstrap import LedgerTenant, registry_settings
from services.ledger.domain.transactions import INTERNATIONAL_TYPES, TransactionType
from tenants.settings_schema import validate_settings


def default_policy_holds(transaction_type: TransactionType) -> bool:
    tenant = LedgerTenant(uuid4(), "gha", "GHA", "GHA01", validate_settings({}))
    return registry_settings(tenant).approval_policy.requires_approval(transaction_type)


@pytest.mark.parametrize("transaction_type", sorted(INTERNATIONAL_TYPES))
def test_every_transfer_abroad_needs_four_eyes_by_default(transaction_type: TransactionType) -> None:
    assert default_policy_holds(transaction_type)


def test_a_first_transfer_is_held_like_any_later_transfer_abroad() -> None:
    assert default_policy_holds(TransactionType.FIRST_TRANSFER) == default_policy_holds(
        TransactionType.TRANSFER_INTERNATIONAL
    )
