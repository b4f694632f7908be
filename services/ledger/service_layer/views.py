"""The ledger's query port: plain lists, look-ups, searches and totals of one tenant's ledger.

The questions with rules (holdings, statements, a unit's trail) are in `queries`; these are answered
straight from the stored rows by an adapter (`services.ledger.adapters.views_sql`), always scoped to
the tenant it was built for.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from services.ledger.domain.accounts import Account
from services.ledger.domain.authorizations import Authorization
from services.ledger.domain.blocks import UnitBlock
from services.ledger.domain.reference import AuthorizedEntity, CooperativeApproach, Issuance, Project
from services.ledger.domain.transactions import Transaction

T = TypeVar("T")

PROJECT_FACETS = ("sector", "project_type", "methodology", "status", "country")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    page_size: int
    total: int


@dataclass(frozen=True)
class TransactionFilter:
    type: str | None = None
    status: str | None = None
    account_id: UUID | None = None
    initiator_id: UUID | None = None
    proposed_from: datetime | None = None
    proposed_until: datetime | None = None
    holder_accounts: frozenset[UUID] | None = None  # a representative sees only these accounts' transactions


@dataclass(frozen=True)
class BlockHolding:
    """A unit block as it is today, with the type of the account holding it: what reconciliation compares."""

    block_id: UUID
    account_type: str
    account_id: UUID
    vintage: int
    state: str
    serial_first: int
    serial_last: int
    authorization_id: UUID | None
    authorization_version: int | None


class LedgerViews(abc.ABC):
    """Read-only answers about one tenant's ledger; each call reads in a transaction of its own."""

    # Reference data
    @abc.abstractmethod
    def approaches(self, status: str | None, page: int, page_size: int) -> Page[CooperativeApproach]: ...

    @abc.abstractmethod
    def approach(self, approach_id: str) -> CooperativeApproach | None: ...

    @abc.abstractmethod
    def projects(self, filters: dict[str, Any], page: int, page_size: int) -> Page[Project]: ...

    @abc.abstractmethod
    def project(self, project_id: UUID) -> Project | None: ...

    @abc.abstractmethod
    def issuances(self, project_id: UUID | None, page: int, page_size: int) -> Page[Issuance]: ...

    @abc.abstractmethod
    def issuance(self, issuance_id: UUID) -> Issuance | None: ...

    @abc.abstractmethod
    def entities(self, filters: dict[str, Any], page: int, page_size: int) -> Page[AuthorizedEntity]: ...

    @abc.abstractmethod
    def entity(self, entity_id: UUID) -> AuthorizedEntity | None: ...

    @abc.abstractmethod
    def authorizations(self, reference: str | None, page: int, page_size: int) -> Page[Authorization]: ...

    @abc.abstractmethod
    def authorization(self, authorization_id: UUID) -> Authorization | None: ...

    # Accounts and transactions
    @abc.abstractmethod
    def accounts(self, filters: dict[str, Any], page: int, page_size: int) -> Page[Account]: ...

    @abc.abstractmethod
    def account(self, account_id: UUID) -> Account | None: ...

    @abc.abstractmethod
    def accounts_of_holder(self, holder_id: UUID) -> set[UUID]: ...

    @abc.abstractmethod
    def transactions(self, f: TransactionFilter, page: int, page_size: int) -> Page[Transaction]:
        """Newest first, without their block changes."""

    @abc.abstractmethod
    def transaction(self, transaction_id: UUID) -> Transaction | None:
        """With its block changes."""

    # The public explorer: searches and totals of public registry information
    @abc.abstractmethod
    def search_projects(
        self, text: str | None, filters: dict[str, Any], vintage: int | None, page: int, page_size: int
    ) -> Page[Project]:
        """Projects whose name contains `text` (or whose id is `text`), with equal facets and units of `vintage`."""

    @abc.abstractmethod
    def project_facets(self) -> dict[str, list[Any]]:
        """The values each project filter (`PROJECT_FACETS`) can take, and the vintages of the units."""

    @abc.abstractmethod
    def unit_totals(self) -> dict[str, int]:
        """Units issued here, units acquired from other registries, and how many are held, used, cancelled or
        retired today (from the current blocks)."""

    @abc.abstractmethod
    def monthly_issued(self) -> list[tuple[str, int, int, int]]:
        """("issuance", year, month, units) of the units issued here, by their issuance's date of issue."""

    @abc.abstractmethod
    def monthly_quantities(self, types: Sequence[str]) -> list[tuple[str, int, int, int]]:
        """(type, year, month, units) of the completed transactions of `types` by date of execution, oldest first."""

    @abc.abstractmethod
    def project_blocks(self, project_id: UUID) -> list[UnitBlock]:
        """The unit blocks issued for a project, as they are today."""

    @abc.abstractmethod
    def project_transactions(self, project_id: UUID, type: str) -> list[Transaction]:
        """Completed transactions of `type` that moved units of a project, newest first (without their changes)."""

    @abc.abstractmethod
    def block(self, block_id: UUID) -> UnitBlock | None:
        """A unit block as it is today, whatever its state: blocks are never deleted, so its id stays valid."""

    @abc.abstractmethod
    def blocks_split_from(self, block: UnitBlock) -> list[UnitBlock]:
        """The blocks that hold today units this block held once (it kept the lowest of them when it was split)."""

    # Reconciliation (reporting compares its projection with these)
    @abc.abstractmethod
    def block_holdings(self) -> list[BlockHolding]:
        """Every unit block of the registry as it is today, whatever its state."""

    @abc.abstractmethod
    def journal_numbers(self) -> dict[int, str]:
        """The transaction number of each journal record, by sequence."""
