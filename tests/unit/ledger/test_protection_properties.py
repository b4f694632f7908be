"""Account protection under random sequences of control changes, transfers, cancellations and the passing of
time: supply is conserved, and nothing moves out of a frozen account (nor of a frozen organization's)."""

import contextlib
from dataclasses import replace
from datetime import timedelta
from uuid import UUID

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.protection import Limits, OnLimit, ProtectionSettings
from services.ledger.domain.transactions import Transaction, TransactionStatus
from services.shared.ids import new_id

from .world import ADMINISTRATOR, APPROVER, REPRESENTATIVE, ghana

SUPPLY = 10_000
PEOPLE = (REPRESENTATIVE, APPROVER, ADMINISTRATOR)


class ProtectedLedger(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        world = self.world = ghana()
        world.bus.registry = world.registry = replace(
            world.registry,
            protection=ProtectionSettings(
                untrusted_transfer_delay=timedelta(hours=26),
                on_limit=OnLimit.HOLD,
                limits=Limits(per_24_hours=3_000),
            ),
        )
        world.issue(SUPPLY)
        self.organization = new_id()
        self.accounts = [
            world.account(AccountType.ENTITY_HOLDING, f"Holder {n}", holder_id=self.organization if n else new_id())
            for n in range(3)
        ]
        world.transfer(SUPPLY, world.issuance_account, self.accounts[0])
        self.outflows: dict[UUID, int] = {}

    def frozen(self, account: UUID) -> bool:
        controls = self.world.state.controls
        own = controls.get(account)
        holder = self.world.state.accounts[account].holder_id
        organization = controls.get(holder) if holder else None
        return bool((own and own.freeze) or (organization and organization.freeze))

    def try_(self, command: commands.Command) -> None:
        with contextlib.suppress(CheckFailed):
            self.world.do(command)

    def moved_out(self) -> dict[UUID, int]:
        """Units that left each account in completed transactions."""
        out: dict[UUID, int] = {}
        for transaction in self.world.state.transactions.values():
            for change in transaction.changes:
                if change.from_account_id is not None:
                    out[change.from_account_id] = out.get(change.from_account_id, 0) + change.quantity
        return out

    @rule(source=st.integers(0, 2), destination=st.integers(0, 2), quantity=st.integers(1, 4_000))
    def transfer(self, source: int, destination: int, quantity: int) -> None:
        if source != destination:
            self.try_(
                commands.TransferUnits(
                    actor_id=REPRESENTATIVE,
                    source_account_id=self.accounts[source],
                    destination_account_id=self.accounts[destination],
                    quantity=quantity,
                )
            )

    @rule(account=st.integers(0, 2), trusted=st.integers(0, 2), approver=st.sampled_from(PEOPLE))
    def trust(self, account: int, trusted: int, approver: UUID) -> None:
        number = str(self.world.state.accounts[self.accounts[trusted]].number)
        try:
            entry = self.world.do(
                commands.ProposeTrustedAccount(
                    actor_id=REPRESENTATIVE, account_id=self.accounts[account], account_number=number
                )
            )
        except CheckFailed:
            return
        self.try_(
            commands.ApproveTrustedAccount(
                actor_id=approver, account_id=self.accounts[account], trusted_account_id=UUID(entry.record_id)
            )
        )

    @rule(account=st.integers(0, 2), per_transfer=st.one_of(st.none(), st.integers(1, 5_000)))
    def limit(self, account: int, per_transfer: int | None) -> None:
        self.try_(
            commands.SetAccountLimits(
                actor_id=ADMINISTRATOR, account_id=self.accounts[account], per_transfer=per_transfer
            )
        )

    @rule(account=st.integers(0, 2), organization=st.booleans())
    def freeze(self, account: int, organization: bool) -> None:
        self.outflows = self.moved_out()
        if organization:
            self.try_(
                commands.FreezeOrganization(actor_id=ADMINISTRATOR, organization_id=self.organization, reason="x")
            )
        else:
            self.try_(commands.FreezeAccount(actor_id=ADMINISTRATOR, account_id=self.accounts[account], reason="x"))

    @rule(account=st.integers(0, 2), organization=st.booleans(), actor=st.sampled_from(PEOPLE))
    def unfreeze(self, account: int, organization: bool, actor: UUID) -> None:
        if organization:
            self.try_(commands.UnfreezeOrganization(actor_id=actor, organization_id=self.organization))
        else:
            self.try_(commands.UnfreezeAccount(actor_id=actor, account_id=self.accounts[account]))
        self.outflows = self.moved_out()

    @rule(hours=st.sampled_from([1, 23, 24, 25, 27, 24 * 8]))
    def time_passes(self, hours: int) -> None:
        self.world.clock.advance(timedelta(hours=hours))
        self.world.do(commands.ExecuteDueTransactions())

    @precondition(lambda self: self.pending())
    @rule(data=st.data())
    def settle_one(self, data: st.DataObject) -> None:
        transaction = data.draw(st.sampled_from(self.pending()))
        if transaction.status is TransactionStatus.AWAITING_RELEASE and data.draw(st.booleans()):
            self.try_(commands.ReleaseTransaction(actor_id=ADMINISTRATOR, transaction_id=transaction.id))
        else:
            self.try_(commands.CancelTransaction(actor_id=REPRESENTATIVE, transaction_id=transaction.id, reason="no"))

    def pending(self) -> list[Transaction]:
        waiting = (TransactionStatus.DELAYED, TransactionStatus.AWAITING_RELEASE)
        return sorted(
            (t for t in self.world.state.transactions.values() if t.status in waiting), key=lambda t: t.number
        )

    @invariant()
    def supply_is_conserved(self) -> None:
        assert sum(self.world.held(account) for account in self.accounts) == SUPPLY

    @invariant()
    def nothing_moves_out_of_a_frozen_account(self) -> None:
        moved = self.moved_out()
        for account in self.accounts:
            if self.frozen(account):
                assert moved.get(account, 0) == self.outflows.get(account, 0)
        self.outflows = moved


ProtectedLedger.TestCase.settings = settings(
    max_examples=60, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestProtectedLedger = ProtectedLedger.TestCase
