"""Ledger invariants under random sequences of issue, split, transfer, authorize, use, cancel, retire,
transfer abroad and acquisition, with some transfers held for a delay."""

import itertools
from dataclasses import replace
from datetime import timedelta
from uuid import UUID

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.acquisitions import IncomingBlock
from services.ledger.domain.authorizations import FirstTransferDefinition, Purpose
from services.ledger.domain.blocks import (
    TERMINAL_STATES,
    BlockAttributes,
    FirstTransfer,
    UnitBlock,
    UnitFilter,
    UnitState,
)
from services.ledger.domain.counters import UNIT_SERIALS
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.journal import verify_chain
from services.ledger.domain.registry import ApprovalPolicy
from services.ledger.domain.transactions import TransactionStatus, TransactionType
from services.ledger.domain.values import Metric, MitigationType, UnitType, VintageQuantity
from services.ledger.service_layer.messagebus import LedgerBus
from services.shared.ids import new_id

from .world import ADMINISTRATOR, REPRESENTATIVE, ghana

quantities = st.one_of(st.integers(1, 300), st.integers(1, 5_000), st.just(10**9))
# A share of what the account has available, in percent; 0 means one unit more than available.
shares = st.one_of(st.integers(1, 100), st.just(100), st.just(0))
Space = tuple[str, str]


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.world = world = ghana()
        world.issuance_id = UUID(
            world.do(
                commands.RecordIssuance(
                    actor_id=ADMINISTRATOR,
                    project_id=world.project_id,
                    monitoring_start=world.clock.now().date(),
                    monitoring_end=world.clock.now().date(),
                    verifier="V",
                    verified_on=world.clock.now().date(),
                    issued_on=world.clock.now().date(),
                    quantities=(VintageQuantity(2023, 10**12), VintageQuantity(2024, 10**12)),
                )
            ).record_id
        )
        self.second_holding = world.account(AccountType.ENTITY_HOLDING, "Buyer", holder_id=new_id())
        self.holdings = [world.issuance_account, world.party_holding, world.developer_holding, self.second_holding]
        self.authorizations = [
            world.authorization(
                purposes=frozenset({Purpose.NDC, Purpose.OIMP}), definition=FirstTransferDefinition.USE_OR_CANCELLATION
            ),
            world.authorization(purposes=frozenset({Purpose.OIMP}), definition=FirstTransferDefinition.AUTHORIZATION),
        ]
        self.delayed = replace(
            world.registry,
            approval_policy=ApprovalPolicy(delays={TransactionType.TRANSFER_DOMESTIC: timedelta(hours=1)}),
        )
        self.created = 0
        self.first_transfers: set[tuple[Space, int, int, FirstTransfer]] = set()
        self.terminal: set[tuple[Space, int, int, UnitState]] = set()

    def amount(self, account: UUID, share: int, unit_filter: UnitFilter | None = None) -> int:
        unit_filter = unit_filter or UnitFilter()
        available = sum(
            b.quantity
            for b in self.world.state.blocks.values()
            if b.account_id == account and b.is_available and unit_filter.matches(b)
        )
        return available + 1 if share == 0 else max(1, available * share // 100)

    def attempt(self, command: commands.Command) -> None:
        commits = self.world.uow.commits
        try:
            self.world.do(command)
        except CheckFailed:
            assert self.world.uow.commits == commits, "a failed check committed something"

    @initialize(quantity=st.integers(1, 10_000), authorized=st.integers(0, 100))
    def some_units_held_and_authorized(self, quantity: int, authorized: int) -> None:
        world = self.world
        world.issue(quantity)
        self.created += quantity
        world.transfer(quantity, world.issuance_account, world.party_holding)
        if quantity * authorized // 100:
            world.authorize(quantity * authorized // 100, self.authorizations[0], world.party_holding)

    @rule(quantity=quantities, vintage=st.sampled_from([2023, 2024]))
    def issue(self, quantity: int, vintage: int) -> None:
        self.world.issue(quantity, vintage=vintage)
        self.created += quantity

    @rule(source=st.integers(0, 3), destination=st.integers(1, 3), share=shares)
    def transfer(self, source: int, destination: int, share: int) -> None:
        self.attempt(
            commands.TransferUnits(
                actor_id=REPRESENTATIVE,
                source_account_id=self.holdings[source],
                destination_account_id=self.holdings[destination],
                quantity=self.amount(self.holdings[source], share),
            )
        )

    @rule(source=st.integers(1, 3), destination=st.integers(1, 3), share=shares)
    def transfer_after_a_delay(self, source: int, destination: int, share: int) -> None:
        world = self.world
        command = commands.TransferUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=self.holdings[source],
            destination_account_id=self.holdings[destination],
            quantity=self.amount(self.holdings[source], share),
        )
        commits = world.uow.commits
        try:
            LedgerBus(world.uow, self.delayed, world.clock).handle(command)
        except CheckFailed:
            assert world.uow.commits == commits

    @rule()
    def time_passes(self) -> None:
        self.world.clock.advance(timedelta(minutes=45))
        self.world.do(commands.ExecuteDueTransactions())

    @rule(account=st.integers(0, 3), which=st.integers(0, 1), share=shares)
    def authorize(self, account: int, which: int, share: int) -> None:
        quantity = self.amount(self.holdings[account], share, UnitFilter(authorized=False))
        self.attempt(
            commands.AuthorizeUnits(
                actor_id=REPRESENTATIVE,
                account_id=self.holdings[account],
                authorization_id=self.authorizations[which],
                quantity=quantity,
            )
        )

    @rule(source=st.integers(1, 3), share=shares, cancel=st.booleans())
    def use_for_oimp(self, source: int, share: int, cancel: bool) -> None:
        account = self.world.other_cancellation if cancel else self.world.corsia_use
        authorized = UnitFilter(authorized=True)
        self.attempt(
            commands.UseUnitsForOimp(
                actor_id=REPRESENTATIVE,
                source_account_id=self.holdings[source],
                oimp_account_id=account,
                quantity=self.amount(self.holdings[source], share, authorized),
                unit_filter=authorized,
            )
        )

    @rule(source=st.integers(0, 3), share=shares, omge=st.booleans())
    def cancel(self, source: int, share: int, omge: bool) -> None:
        self.attempt(
            commands.CancelUnits(
                actor_id=REPRESENTATIVE,
                source_account_id=self.holdings[source],
                quantity=self.amount(self.holdings[source], share),
                cancellation_account_id=self.world.omge if omge else self.world.voluntary,
            )
        )

    @rule(source=st.integers(1, 3), share=shares)
    def retire(self, source: int, share: int) -> None:
        self.attempt(
            commands.RetireUnits(
                actor_id=REPRESENTATIVE,
                source_account_id=self.holdings[source],
                retirement_account_id=self.world.retirement,
                quantity=self.amount(self.holdings[source], share),
                beneficiary="A school",
            )
        )

    @rule(source=st.integers(1, 3), share=shares, accepted=st.booleans())
    def transfer_abroad(self, source: int, share: int, accepted: bool) -> None:
        world, authorized = self.world, UnitFilter(authorized=True)
        commits = world.uow.commits
        try:
            sent = world.do(
                commands.RequestInternationalTransfer(
                    actor_id=REPRESENTATIVE,
                    source_account_id=self.holdings[source],
                    external_account_id=world.switzerland,
                    quantity=self.amount(self.holdings[source], share, authorized),
                    unit_filter=authorized,
                )
            )
        except CheckFailed:
            assert world.uow.commits == commits
            return
        if accepted:
            world.do(
                commands.CompleteInternationalTransfer(actor_id=REPRESENTATIVE, transaction_id=sent.transaction_id)
            )
        else:
            world.do(
                commands.ReverseInternationalTransfer(
                    actor_id=REPRESENTATIVE, transaction_id=sent.transaction_id, reason="refused"
                )
            )

    @rule(first=st.integers(1, 5_000), quantity=st.integers(1, 500), destination=st.integers(1, 3))
    def acquire(self, first: int, quantity: int, destination: int) -> None:
        attributes = BlockAttributes(
            "CA0001", "CHE01", "CHE", 2023, Metric.ghg(), UnitType.MITIGATION_OUTCOME, MitigationType.REDUCTIONS
        )
        commits = self.world.uow.commits
        try:
            self.world.do(
                commands.RecordAcquisition(
                    actor_id=REPRESENTATIVE,
                    incoming_transfer_id=new_id(),
                    transferring_party="CHE",
                    transferring_registry_id="CHE01",
                    account_id=self.holdings[destination],
                    blocks=(IncomingBlock(attributes, first, first + quantity - 1),),
                )
            )
            self.created += quantity
        except CheckFailed:
            assert self.world.uow.commits == commits

    # Invariants

    @invariant()
    def every_serial_is_in_exactly_one_block(self) -> None:
        by_space: dict[Space, list[UnitBlock]] = {}
        for block in self.world.state.blocks.values():
            by_space.setdefault(block.space, []).append(block)
        for blocks in by_space.values():
            ordered = sorted(blocks, key=lambda b: b.serial_first)
            for lower, upper in itertools.pairwise(ordered):
                assert lower.serial_last < upper.serial_first, f"{lower} overlaps {upper}"
        local = by_space.get(("CA0001", "GHA01"), [])
        counter = self.world.state.counters.get(UNIT_SERIALS)
        issued = 0 if counter is None else counter.next_value - 1
        assert sum(b.quantity for b in local) == issued
        assert all(b.serial_first >= 1 and b.serial_last <= issued for b in local)

    @invariant()
    def units_are_conserved(self) -> None:
        by_state = dict.fromkeys(UnitState, 0)
        for block in self.world.state.blocks.values():
            by_state[block.state] += block.quantity
        assert sum(by_state.values()) == self.created
        issued = sum(
            t.quantity
            for t in self.world.state.transactions.values()
            if t.type is TransactionType.ISSUANCE and t.status is TransactionStatus.COMPLETED
        )
        local = sum(b.quantity for b in self.world.state.blocks.values() if b.attributes.registry_id == "GHA01")
        assert issued == local

    @invariant()
    def reservations_belong_to_pending_transactions(self) -> None:
        transactions = self.world.state.transactions
        for block in self.world.state.blocks.values():
            assert (block.state is UnitState.PENDING_OUT) == (block.reserved_by is not None)
            if block.reserved_by is not None:
                assert not transactions[block.reserved_by].is_final

    @invariant()
    def terminal_states_and_first_transfers_are_never_lost(self) -> None:
        blocks = list(self.world.state.blocks.values())
        for space, first, last, state in self.terminal:
            assert self._covered(blocks, space, first, last, lambda b, s=state: b.state is s)
        for space, first, last, done in self.first_transfers:
            assert self._covered(blocks, space, first, last, lambda b, d=done: b.first_transfer == d)
        for block in blocks:
            if block.state in TERMINAL_STATES:
                self.terminal.add((block.space, block.serial_first, block.serial_last, block.state))
            if block.first_transfer is not None:
                self.first_transfers.add((block.space, block.serial_first, block.serial_last, block.first_transfer))

    @invariant()
    def the_journal_chain_is_whole(self) -> None:
        assert verify_chain(self.world.state.journal) is None

    @staticmethod
    def _covered(blocks: list[UnitBlock], space: Space, first: int, last: int, holds: object) -> bool:
        overlapping = [b for b in blocks if b.space == space and b.serial_first <= last and first <= b.serial_last]
        covered = sum(min(b.serial_last, last) - max(b.serial_first, first) + 1 for b in overlapping)
        return covered == last - first + 1 and all(holds(b) for b in overlapping)  # type: ignore[operator]


LedgerMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_ledger_invariants = LedgerMachine.TestCase
