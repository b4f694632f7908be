"""Changes to an account's trusted list and freeze state, and movements held for release, tell the
representatives of its holding organization. The ledger's events are written here as the ledger writes
them (same types and fields), in the tenant's transaction, to the outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.events.adapters.outbox import OutboxWriter
from tests.integration.notifications.conftest import PUBLIC_URL, Notifying, SmtpServer
from tests.integration.notifications.test_movements import APPROVER, INITIATOR, Holders, body, holders, only_to, propose

ACTIVE_FROM = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def write_event(notices: Notifying, h: Holders, event_type: str, data: dict[str, Any]) -> None:
    writer = OutboxWriter(notices.platform.settings.kafka.topic_prefix, clock=notices.clock)
    tenant = h.ledger.tenant
    with notices.platform.database.transaction(tenant.id) as session:
        writer.add(
            session, tenant_id=tenant.id, registry=tenant.code, event_type=event_type, data=data, subject="accounts"
        )


def trusted(h: Holders, **extra: Any) -> dict[str, Any]:
    return {
        "account_id": str(h.source),
        "account_number": "GHA-120-7",
        "trusted_account_id": str(h.sink),
        "trusted_account_number": "CHE-120-99",
        "trusted_registry_id": "CHE01",
        "at": "2026-03-02T09:00:00+00:00",
        **extra,
    }


CASES = [
    (
        "ledger.trusted_account.proposed.v1",
        {"proposed_by": str(INITIATOR)},
        "An addition to the trusted list of account GHA-120-7 was proposed",
        "Trusted account: CHE-120-99 (CHE01)",
    ),
    (
        "ledger.trusted_account.approved.v1",
        {"approved_by": str(APPROVER), "active_from": ACTIVE_FROM.isoformat()},
        "An addition to the trusted list of account GHA-120-7 is approved",
        "Active from: 2026-03-09 09:00 UTC",
    ),
    (
        "ledger.trusted_account.removed.v1",
        {"removed_by": str(INITIATOR)},
        "An account was removed from the trusted list of account GHA-120-7",
        "Trusted account: CHE-120-99 (CHE01)",
    ),
]


@pytest.mark.parametrize(("event_type", "extra", "subject", "fact"), CASES)
def test_each_change_to_the_trusted_list_is_told(
    notices: Notifying, smtp: SmtpServer, event_type: str, extra: dict[str, Any], subject: str, fact: str
) -> None:
    h = holders(notices)
    notices.deliver()
    smtp.mailbox.clear()
    write_event(notices, h, event_type, trusted(h, **extra))
    notices.deliver()
    [message, _] = only_to(smtp, h)
    assert message["Subject"] == subject
    assert fact in body(message)


def test_a_freeze_and_an_unfreeze_are_told_with_the_reason(notices: Notifying, smtp: SmtpServer) -> None:
    h = holders(notices)
    notices.deliver()
    smtp.mailbox.clear()
    account = {"account_id": str(h.source), "account_number": "GHA-120-7", "organization_id": None}
    frozen = {**account, "reason": "phishing reported", "frozen_by": str(APPROVER), "at": "2026-03-02T09:00:00+00:00"}
    write_event(notices, h, "ledger.account.frozen.v1", frozen)
    notices.deliver()
    [message, _] = only_to(smtp, h)
    assert message["Subject"] == "Account GHA-120-7 is frozen"
    assert "Reason: phishing reported" in body(message)

    unfrozen = {**account, "asked_by": str(APPROVER), "unfrozen_by": str(INITIATOR), "at": "2026-03-02T10:00:00+00:00"}
    write_event(notices, h, "ledger.account.unfrozen.v1", unfrozen)
    notices.deliver()
    [message, _] = only_to(smtp, h)
    assert message["Subject"] == "Account GHA-120-7 is no longer frozen"


def test_a_movement_held_for_release_is_told_with_its_cancel_link(notices: Notifying, smtp: SmtpServer) -> None:
    h = holders(notices)
    transaction_id = propose(h, 9)
    notices.deliver()
    smtp.mailbox.clear()
    held = {
        "transaction_id": str(transaction_id),
        "transaction_number": "T-1",
        "transaction_type": "transfer_domestic",
        "account_id": str(h.source),
        "account_number": "GHA-120-7",
        "check_code": "L-3",
        "reason": "over the daily limit",
        "at": "2026-03-02T09:00:00+00:00",
    }
    write_event(notices, h, "ledger.transaction.held_for_release.v1", held)
    notices.deliver()
    [message, _] = only_to(smtp, h)
    assert "is held for the registry's release" in message["Subject"]
    assert "Reason: over the daily limit" in body(message)
    assert f"{PUBLIC_URL}/registries/{h.ledger.tenant.code}/console/transactions/{transaction_id}" in body(message)


def test_an_account_of_another_registry_tells_no_one(notices: Notifying, smtp: SmtpServer) -> None:
    h, other = holders(notices), holders(notices)
    notices.deliver()
    smtp.mailbox.clear()
    write_event(
        notices, h, "ledger.account.frozen.v1", {"account_id": str(other.source), "account_number": "X", "reason": "r"}
    )
    notices.deliver()
    assert smtp.mailbox.messages == []
