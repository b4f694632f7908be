"""Each check function alone: it returns for good input and raises its code for bad input."""

from datetime import UTC, date, datetime

import pytest

from services.ledger.domain.accounts import Account, AccountStatus, AccountType
from services.ledger.domain.authorizations import FirstTransferDefinition, Purpose
from services.ledger.domain.blocks import FirstTransfer, FirstTransferTrigger, UnitState
from services.ledger.domain.checks import accounts, authorizations, reference, units
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.identifiers import AccountNumber
from services.ledger.domain.reference import ApproachStatus, AuthorizedEntity, CooperativeApproach
from services.ledger.domain.values import Metric
from services.shared.ids import new_id

from .test_authorizations import authorization
from .test_blocks import block
from .world import GHANA, NOW, terms


def account(account_type: AccountType = AccountType.PARTY_HOLDING, **options: object) -> Account:
    values = {
        "id": new_id(),
        "number": AccountNumber("GHA", account_type.code, 1),
        "type": account_type,
        "metric": Metric.ghg(),
        "name": "Account",
        "opened_at": NOW,
    }
    return Account(**values | options)  # type: ignore[arg-type]


def fails(code: str, check: object, *args: object) -> None:
    with pytest.raises(CheckFailed) as failure:
        check(*args)  # type: ignore[operator]
    assert failure.value.code == code


def test_account_checks() -> None:
    open_, suspended = account(), account(status=AccountStatus.SUSPENDED)
    accounts.check_source_open(open_)
    fails("LDG-002", accounts.check_source_open, suspended)
    fails("LDG-003", accounts.check_destination_open, suspended)
    fails("LDG-001", accounts.require_account, None, new_id(), "account_id")
    fails("LDG-005", accounts.check_account_type, open_, {AccountType.RETIREMENT}, "destination_account_id")
    fails("LDG-006", accounts.check_accounts_differ, open_, open_)
    fails("LDG-007", accounts.check_metric, account(metric=Metric.non_ghg("MWh")), block(1, 5), "account")
    own = account(AccountType.EXTERNAL, external_party="GHA", external_registry_id="GHA02")
    fails("LDG-060", accounts.check_counterparty, own, GHANA)
    fails("LDG-009", accounts.check_empty_before_closing, open_, [block(1, 5)])
    accounts.check_empty_before_closing(open_, [block(1, 5, state=UnitState.RETIRED)])


def test_unit_checks() -> None:
    reserved = block(1, 50, state=UnitState.PENDING_OUT, reserved_by=new_id())
    units.check_quantity_available([block(51, 100)], 50)
    fails("LDG-013", units.check_quantity_available, [reserved, block(51, 100)], 60)
    fails("LDG-012", units.check_quantity_available, [reserved, block(51, 100)], 101)
    fails("LDG-056", units.check_vintage_not_in_future, 2026, NOW)
    fails("LDG-015", units.check_no_overlap, block(10, 20), [block(1, 10)])
    units.check_no_overlap(block(11, 20), [block(1, 10)])


def test_reference_checks() -> None:
    approach = CooperativeApproach(id="CA0001", name="A", participating_parties=frozenset({"GHA", "CHE"}))
    fails("LDG-020", reference.require_approach, None, "CA0001")
    fails(
        "LDG-021",
        reference.check_approach_active,
        CooperativeApproach(
            id="CA0001", name="A", participating_parties=frozenset({"GHA", "CHE"}), status=ApproachStatus.CLOSED
        ),
    )
    fails("LDG-022", reference.check_participates, approach, "SGP", "party")
    reference.check_participates(approach, "CHE", "party")


def test_entity_checks() -> None:
    organization = new_id()
    holder = account(AccountType.ENTITY_HOLDING, holder_id=organization)
    entity = AuthorizedEntity(
        id=new_id(),
        cooperative_approach_id="CA0001",
        name="E",
        country_of_incorporation="GHA",
        identification_number="1",
        authorized_on=date(2024, 1, 1),
        organization_id=organization,
    )
    restricted = terms(authorized_entities=frozenset({entity.id}))
    reference.check_entity_authorized(terms(), holder, [], NOW)
    reference.check_entity_authorized(restricted, holder, [entity], NOW)
    fails("LDG-036", reference.check_entity_authorized, restricted, holder, [], NOW)
    entity.revoke(datetime(2025, 1, 1, tzinfo=UTC))
    fails("LDG-027", reference.check_entity_authorized, restricted, holder, [entity], NOW)


def test_authorization_checks() -> None:
    ndc = terms()
    fails("LDG-030", authorizations.require_authorization, None, new_id())
    fails("LDG-031", authorizations.check_in_force, authorization(valid_until=date(2025, 1, 1)), NOW)
    fails("LDG-033", authorizations.check_timeframe, ndc, 2019)
    fails("LDG-034", authorizations.check_purpose, ndc, frozenset({Purpose.OIMP}), "use_oimp")
    fails("LDG-035", authorizations.check_party_authorized, terms(authorized_parties=frozenset({"SGP"})), "CHE", "p")
    authorizations.check_party_authorized(ndc, "CHE", "p")
    fails("LDG-037", authorizations.check_matches_units, terms(approach="CA0002"), block(1, 5).attributes)
    fails("LDG-038", authorizations.check_units_authorized, block(1, 5))
    fails("LDG-040", authorizations.check_own_outcomes, "CHE", GHANA)
    issuance_defined = terms(purposes=frozenset({Purpose.OP}), definition=FirstTransferDefinition.ISSUANCE)
    fails("LDG-046", authorizations.check_not_defined_at_issuance, issuance_defined)
    fails("LDG-050", authorizations.check_ndc_year, 2031, GHANA)
    first = FirstTransfer(NOW, FirstTransferTrigger.INTERNATIONAL_TRANSFER)
    fails("LDG-052", authorizations.check_acquired_itmo, block(1, 5, first_transfer=first), GHANA)


def test_an_account_type_refusal_names_both_types_in_plain_words() -> None:
    issuance = account(AccountType.ISSUANCE)
    with pytest.raises(CheckFailed) as failure:
        accounts.check_account_type(issuance, {AccountType.PARTY_HOLDING, AccountType.RETIREMENT}, "account_id")
    assert "is of type issuance; this action needs an account of type party holding or retirement." in (
        failure.value.message
    )
