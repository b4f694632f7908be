"""`registry journal verify --registry CODE` over a journal written through the API, whole and tampered."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from gateway.app import create_app
from gateway.bootstrap import platform_of
from gateway.cli.main import main
from services.shared.db.database import Database
from tests.conftest import TEST_SECRET, DatabaseUrls, settings_for
from tests.integration.ledger_api.world import Registry, furnish, issue, new_registry, transfer


def verify(urls: DatabaseUrls, code: str) -> Result:
    env = {"DATABASE_URL": urls.app, "DATABASE_OWNER_URL": urls.owner, "SECRET_KEY": TEST_SECRET}
    return CliRunner().invoke(main, ["journal", "verify", "--registry", code], env=env)


def three_records(ghana: Registry) -> None:
    ghana.open_account("retirement_fund", "party_holding")
    issue(ghana, 100)
    transfer(ghana, 60, "issuance", "party")
    transfer(ghana, 10, "party", "retirement_fund")


def test_an_untouched_journal_is_intact(database_urls: DatabaseUrls, ghana: Registry) -> None:
    three_records(ghana)

    result = verify(database_urls, ghana.tenant.code)

    assert (result.exit_code, result.output.strip()) == (0, "journal intact: 3 records")


def test_an_unknown_registry_is_an_error(database_urls: DatabaseUrls) -> None:
    result = verify(database_urls, "nowhere")

    assert result.exit_code == 2
    assert "no registry 'nowhere'" in result.output


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("tampering", "reason"),
    [
        ("UPDATE ledger_journal SET payload = '{\"quantity\": 1000000}' WHERE sequence = 2", "record hash"),
        ("DELETE FROM ledger_journal WHERE sequence = 2", "missing or out of place"),
        ("UPDATE ledger_journal SET sequence = sequence + 10 WHERE sequence = 1", "missing or out of place"),
    ],
)
def test_a_tampered_journal_is_caught_at_its_first_broken_link(
    postgres_urls: DatabaseUrls, tampering: str, reason: str
) -> None:
    app = create_app(settings_for(postgres_urls))
    try:
        ghana = new_registry(app)
        three_records(furnish(ghana, new_registry(app)))
    finally:
        platform_of(app).close()
    owner = Database(postgres_urls.owner)
    try:  # the app role may not change the journal: only the owner role can
        with owner.transaction(ghana.tenant.id) as session:
            assert session.execute(text(tampering)).rowcount == 1  # type: ignore[attr-defined]
    finally:
        owner.dispose()

    result = verify(postgres_urls, ghana.tenant.code)

    assert result.exit_code == 1
    assert result.output.startswith("journal broken at record ")
    assert reason in result.output


@pytest.mark.parametrize("tampered", [None, 2])
def test_the_chain_is_read_in_batches_and_every_record_counted(
    database_urls: DatabaseUrls, ghana: Registry, monkeypatch: pytest.MonkeyPatch, tampered: int | None
) -> None:
    """A journal longer than one batch is checked whole: a break in the second batch is found, and
    every record is counted with or without a break."""
    monkeypatch.setattr("services.ledger.adapters.public_queries.JOURNAL_CHECK_BATCH", 1)
    three_records(ghana)
    if tampered is not None:
        owner = Database(database_urls.owner)
        try:
            with owner.transaction(ghana.tenant.id) as session:
                session.execute(text("DELETE FROM ledger_journal WHERE sequence = :s"), {"s": tampered})
        finally:
            owner.dispose()

    result = verify(database_urls, ghana.tenant.code)

    if tampered is None:
        assert (result.exit_code, result.output.strip()) == (0, "journal intact: 3 records")
    else:
        assert result.exit_code == 1
        assert result.output.startswith(f"journal broken at record {tampered}: record {tampered} is missing")
