from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from services.ledger.domain.authorizations import Authorization, FirstTransferDefinition, Purpose
from services.ledger.domain.blocks import FirstTransfer, FirstTransferTrigger
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.first_transfers import first_transfer_trigger, international_transfer_type
from services.ledger.domain.transactions import TransactionType
from services.ledger.domain.values import Metric
from services.shared.ids import new_id

from .test_blocks import block
from .world import terms

T, D = TransactionType, FirstTransferDefinition


def authorization(**options: object) -> Authorization:
    return Authorization(id=new_id(), reference="GHA-A-1").add_version(terms(**options))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "purposes",
    [
        {Purpose.NDC, Purpose.OIMP, Purpose.IMP},
        {Purpose.IMP, Purpose.OP},
        set(),
    ],
)
def test_purposes_are_one_of_the_nomenclature_combinations(purposes: set[Purpose]) -> None:
    with pytest.raises(CheckFailed) as failure:
        terms(purposes=frozenset(purposes), definition=D.AUTHORIZATION)
    assert failure.value.code == "LDG-041"


def test_an_oimp_authorization_names_its_first_transfer_definition_and_an_ndc_one_does_not() -> None:
    with pytest.raises(CheckFailed):
        terms(purposes=frozenset({Purpose.OIMP}))
    with pytest.raises(CheckFailed):
        terms(purposes=frozenset({Purpose.NDC}), definition=D.ISSUANCE)


@pytest.mark.parametrize(
    "options",
    [
        {"vintages": (2030, 2021)},
        {"quantity": 0},
        {"quantity": -5},
        {"version": 0},
    ],
)
def test_inconsistent_terms_are_refused(options: dict[str, object]) -> None:
    with pytest.raises(CheckFailed) as failure:
        terms(**options)  # type: ignore[arg-type]
    assert failure.value.code == "LDG-041"


def test_a_non_ghg_authorization_needs_a_conversion_factor() -> None:
    good = terms(metric=Metric.non_ghg("MWh renewable electricity"))

    with pytest.raises(CheckFailed) as failure:
        replace(good, conversion_factor=None)
    assert failure.value.code == "LDG-057"


def test_versions_follow_each_other_and_the_last_is_in_force() -> None:
    record = authorization(quantity=100)

    record.add_version(terms(version=2, quantity=500))

    assert record.current.version == 2
    assert record.current.authorized_quantity == 500
    with pytest.raises(CheckFailed):
        record.add_version(terms(version=4))
    with pytest.raises(CheckFailed):
        record.add_version(terms(version=3, approach="CA0002"))


def test_another_partys_versions_are_learnt_as_sent() -> None:
    record = Authorization(id=new_id(), reference="CHE-7")

    record.learn_version(terms(version=3, party="CHE"))
    record.learn_version(terms(version=2, party="CHE"))

    assert [t.version for t in record.versions] == [3]


def test_an_authorization_is_in_force_from_its_date_until_its_validity_ends() -> None:
    record = authorization(valid_until=date(2025, 12, 31))

    assert not record.in_force_on(datetime(2024, 1, 14, tzinfo=UTC))
    assert record.in_force_on(datetime(2024, 1, 15, tzinfo=UTC))
    assert not record.in_force_on(datetime(2026, 1, 1, tzinfo=UTC))


def test_units_authorized_never_exceed_the_authorized_quantity() -> None:
    record = authorization(quantity=100)
    record.consume(60)

    with pytest.raises(CheckFailed) as failure:
        record.consume(41)
    assert failure.value.code == "LDG-032"
    assert record.consumed == 60


NDC_ONLY = terms()
NDC_AND_OIMP = terms(purposes=frozenset({Purpose.NDC, Purpose.OIMP}), definition=D.USE_OR_CANCELLATION)


@pytest.mark.parametrize(
    ("action", "authorized", "expected"),
    [
        (T.FIRST_TRANSFER, NDC_ONLY, FirstTransferTrigger.INTERNATIONAL_TRANSFER),
        (T.TRANSFER_INTERNATIONAL, NDC_AND_OIMP, FirstTransferTrigger.INTERNATIONAL_TRANSFER),
        (T.TRANSFER_DOMESTIC, NDC_ONLY, None),
        (T.RETIREMENT, NDC_ONLY, None),
        (T.USE_OIMP, NDC_AND_OIMP, FirstTransferTrigger.USE_OR_CANCELLATION),
        (T.OMGE_CANCELLATION, NDC_AND_OIMP, FirstTransferTrigger.USE_OR_CANCELLATION),
        (T.TRANSFER_INTERNATIONAL, terms(purposes=frozenset({Purpose.IMP}), definition=D.USE_OR_CANCELLATION), None),
        (
            T.AUTHORIZATION,
            terms(purposes=frozenset({Purpose.OP}), definition=D.AUTHORIZATION),
            FirstTransferTrigger.AUTHORIZATION,
        ),
        (T.AUTHORIZATION, terms(purposes=frozenset({Purpose.OP}), definition=D.ISSUANCE), None),
        (T.ISSUANCE, terms(purposes=frozenset({Purpose.OP}), definition=D.ISSUANCE), FirstTransferTrigger.ISSUANCE),
        (T.TRANSFER_INTERNATIONAL, None, None),
    ],
)
def test_which_action_is_the_first_transfer(action: T, authorized: object, expected: object) -> None:
    assert first_transfer_trigger(action, block(1, 10), authorized) == expected  # type: ignore[arg-type]


def test_units_already_first_transferred_are_not_first_transferred_again() -> None:
    done = block(
        1, 10, first_transfer=FirstTransfer(datetime(2025, 1, 1, tzinfo=UTC), FirstTransferTrigger.AUTHORIZATION)
    )

    assert first_transfer_trigger(T.FIRST_TRANSFER, done, NDC_ONLY) is None
    assert international_transfer_type([done], lambda b: NDC_ONLY) is T.TRANSFER_INTERNATIONAL
    assert international_transfer_type([done, block(11, 20)], lambda b: NDC_ONLY) is T.FIRST_TRANSFER
