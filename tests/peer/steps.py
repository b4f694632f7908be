"""The peer run's ledger actions, on top of the worked example's project, issuances and accounts."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.authorizations import AuthorizationTerms, Purpose, Timeframe
from services.ledger.domain.blocks import UnitFilter
from services.ledger.domain.values import Metric
from tests.integration.cadt.scenario import ACTOR, Example

APPROVER = UUID("00000000-0000-7000-8000-000000000002")  # a second person approves what needs approval


def approved(example: Example, command: commands.Command) -> Any:
    result = example.do(command)
    if getattr(result, "status", None) == "awaiting_approval":
        result = example.do(commands.ApproveTransaction(actor_id=APPROVER, transaction_id=result.transaction_id))
    return result


def transfers(example: Example) -> None:
    """400 of the first issuance's 1000 (partial), then the second issuance's 500 whole."""
    for key, quantity in (("first", 400), ("second", 500)):
        approved(
            example,
            commands.TransferUnits(
                actor_id=ACTOR,
                source_account_id=example.ids["issuance"],
                destination_account_id=example.ids["holding"],
                quantity=quantity,
                unit_filter=UnitFilter(issuance_id=example.ids[key]),
            ),
        )


def retirements(example: Example) -> None:
    """100 of the 400 held (partial), then the 500 of the second issuance whole."""
    for key, quantity, beneficiary in (("first", 100, "Acme Airlines"), ("second", 500, "Beta Shipping")):
        approved(
            example,
            commands.RetireUnits(
                actor_id=ACTOR,
                source_account_id=example.ids["holding"],
                retirement_account_id=example.ids["retirement"],
                quantity=quantity,
                beneficiary=beneficiary,
                reason="2025 climate claim",
                unit_filter=UnitFilter(issuance_id=example.ids[key]),
            ),
        )


def terms(example: Example, version: int, valid_until: date | None) -> AuthorizationTerms:
    return AuthorizationTerms(
        version=version,
        authorized_on=date(2024, 2, 1),
        cooperative_approach_id="CA0001",
        authorizing_party=example.tenant.party,
        metric=Metric.ghg(),
        purposes=frozenset({Purpose.NDC}),
        timeframe=Timeframe(2021, 2030, valid_until=valid_until),
    )


def authorization(example: Example) -> None:
    """200 held units of the first issuance authorized for NDC use (one label)."""
    example.record(
        "authorization",
        commands.RecordAuthorization(actor_id=ACTOR, reference="PEER-LoA-1", terms=terms(example, 1, None)),
    )
    approved(
        example,
        commands.AuthorizeUnits(
            actor_id=ACTOR,
            account_id=example.ids["holding"],
            authorization_id=example.ids["authorization"],
            quantity=200,
        ),
    )


def authorization_changed(example: Example) -> None:
    """Version 2 ends the validity earlier: the label changes."""
    approved(
        example,
        commands.RecordAuthorization(
            actor_id=ACTOR,
            reference="PEER-LoA-1",
            terms=terms(example, 2, date(2029, 12, 31)),
            authorization_id=example.ids["authorization"],
        ),
    )


def international_transfer_requested(example: Example) -> None:
    """50 authorized units requested by Switzerland's registry: Pending Export."""
    example.record(
        "external",
        commands.OpenAccount(
            actor_id=ACTOR,
            account_type=AccountType.EXTERNAL,
            name="Swiss registry",
            external_party="CHE",
            external_registry_id="CHE01",
        ),
    )
    result = approved(
        example,
        commands.RequestInternationalTransfer(
            actor_id=ACTOR,
            source_account_id=example.ids["holding"],
            external_account_id=example.ids["external"],
            quantity=50,
            unit_filter=UnitFilter(authorization_id=example.ids["authorization"]),
        ),
    )
    example.ids["international"] = UUID(str(result.transaction_id))


def international_transfer_refused(example: Example) -> None:
    """The acquiring registry refused: the units come back (Held)."""
    approved(
        example,
        commands.ReverseInternationalTransfer(
            actor_id=ACTOR, transaction_id=example.ids["international"], reason="refused by the acquiring registry"
        ),
    )
