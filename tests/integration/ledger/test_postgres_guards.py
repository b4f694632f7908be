"""PostgreSQL guards of the ledger, tried with raw SQL as the app role: no overlapping blocks, no journal edits."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, ProgrammingError

from gateway.bootstrap import Platform
from services.ledger.adapters.unit_of_work import SqlAlchemyLedgerUnitOfWork
from tests.contract.test_ledger_repository_contract import run_example, sql_uow, world_on

pytestmark = pytest.mark.postgres


def example(platform: Platform) -> SqlAlchemyLedgerUnitOfWork:
    uow = sql_uow(platform)
    run_example(world_on(uow))
    return uow


def test_a_block_overlapping_another_of_its_serial_space_is_refused(postgres_platform: Platform) -> None:
    uow = example(postgres_platform)
    copy_first_block = text(
        "INSERT INTO ledger_unit_blocks SELECT tenant_id, gen_random_uuid(), cooperative_approach_id, registry_id, "
        "first_transferring_party, serial_last, serial_last + 5, vintage, non_ghg_metric, unit_type, "
        "mitigation_type, project_id, issuance_id, authorization_id, authorization_version, underlying_registry_id, "
        "underlying_first_unit_id, account_id, state, reserved_by, first_transferred_at, first_transfer_trigger, "
        "first_transfer_transaction_id FROM ledger_unit_blocks ORDER BY serial_first LIMIT 1"
    )
    with (
        pytest.raises(IntegrityError, match="ex_ledger_unit_blocks_no_overlap"),
        postgres_platform.database.transaction(uow.tenant_id) as session,
    ):
        session.execute(copy_first_block)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_journal SET payload = '{}'",
        "DELETE FROM ledger_journal",
    ],
)
def test_the_app_role_cannot_change_the_journal(postgres_platform: Platform, statement: str) -> None:
    uow = example(postgres_platform)
    with (
        pytest.raises(ProgrammingError, match="permission denied"),
        postgres_platform.database.transaction(uow.tenant_id) as session,
    ):
        session.execute(text(statement))
