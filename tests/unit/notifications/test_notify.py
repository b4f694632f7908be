"""A final movement's notice from its event alone when the event carries every fact (issue 17: one read fewer per
transfer), and from the transaction as before for events written without the quantity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID, uuid4

from services.notifications.domain.notices import Recipient
from services.notifications.service_layer.notify import RememberedPeople, Sources, emails_for
from services.notifications.service_layer.ports import HeldAccount, Movement, Registry

TENANT, ACCOUNT, HOLDER, TRANSACTION = uuid4(), uuid4(), uuid4(), uuid4()
AT = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@dataclass
class Ledger:
    reads: list[UUID] = field(default_factory=list)

    def account(self, tenant_id: UUID, account_id: UUID) -> HeldAccount | None:
        return HeldAccount(ACCOUNT, "GHA-1001", HOLDER) if account_id == ACCOUNT else None

    def movement(self, tenant_id: UUID, transaction_id: UUID) -> Movement | None:
        self.reads.append(transaction_id)
        return Movement(TRANSACTION, "GHA-T-00000042", "transfer", 35, ACCOUNT, None)


class People:
    def representatives(self, tenant_id: UUID, organization_id: UUID) -> list[Recipient]:
        return [Recipient(uuid4(), "Ama", "ama@example.org")] if organization_id == HOLDER else []

    def person(self, tenant_id: UUID, user_id: UUID) -> Recipient | None:
        return None


class Registries:
    def registry(self, tenant_id: UUID) -> Registry | None:
        return Registry("ghana", "Ghana Carbon Registry", "en")


def sources(ledger: Ledger) -> Sources:
    return Sources(ledger, People(), Registries(), "https://registry.example.org")


def completed(**data: object) -> dict[str, object]:
    return {"transaction_id": str(TRANSACTION), "transaction_type": "transfer", **data}


def test_a_completed_event_with_every_fact_needs_no_read_of_the_transaction() -> None:
    ledger = Ledger()
    data = completed(account_id=str(ACCOUNT), transaction_number="GHA-T-00000042", quantity=35)

    [email] = emails_for(sources(ledger), "ledger.transaction.completed", data, TENANT, AT)

    assert ledger.reads == []
    assert "35" in email.body
    assert "GHA-T-00000042" in email.body


def test_a_completed_event_written_before_it_carried_the_quantity_reads_the_transaction() -> None:
    ledger = Ledger()
    data = completed(account_id=str(ACCOUNT), transaction_number="GHA-T-00000042")

    [email] = emails_for(sources(ledger), "ledger.transaction.completed", data, TENANT, AT)

    assert ledger.reads == [TRANSACTION]
    assert "35" in email.body


def test_a_batch_reads_each_organizations_representatives_once() -> None:
    reads: list[UUID] = []

    class Counting(People):
        def representatives(self, tenant_id: UUID, organization_id: UUID) -> list[Recipient]:
            reads.append(organization_id)
            return super().representatives(tenant_id, organization_id)

    people = RememberedPeople(Counting())
    other = uuid4()
    found = [people.representatives(TENANT, org) for org in (HOLDER, other, HOLDER, HOLDER)]

    assert reads == [HOLDER, other]
    assert [len(f) for f in found] == [1, 0, 1, 1]
