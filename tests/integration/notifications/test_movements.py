"""Movements out of an account tell the representatives of its holding organization, and no one else."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from email.message import EmailMessage
from uuid import UUID

from click.testing import CliRunner
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, select

from bench.ledger import ServiceLedger, set_up
from gateway.bootstrap.notifications import sender_for
from gateway.cli.main import main
from services.identity.domain.roles import Role
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.notifications.adapters.tables import emails
from tests.conftest import TEST_SECRET, DatabaseUrls, new_tenant_command
from tests.integration.notifications.conftest import PUBLIC_URL, SENDER, Notifying, SmtpServer

INITIATOR = UUID("00000000-0000-7000-8000-00000000000a")
APPROVER = UUID("00000000-0000-7000-8000-00000000000b")
STRICT = {"approval_policy": {"four_eyes": ["transfer_domestic"], "delay_minutes": {"transfer_domestic": 60}}}


@dataclass
class Holders:
    ledger: ServiceLedger  # runs commands under the strict policy: four eyes and a 60-minute delay
    source: UUID
    sink: UUID
    told: list[str]  # the source organization's representatives with an address
    others: list[str]  # people with an address who must hear nothing


def holders(notices: Notifying) -> Holders:
    """A registry where organization A holds a funded account and B another; people of every kind."""
    ledger = set_up(notices.platform, new_tenant_command())
    tenant = notices.platform.catalogue.get(ledger.tenant.code)
    a, b = notices.organization(tenant), notices.organization(tenant)
    told = [notices.person(tenant, {Role.ACCOUNT_REPRESENTATIVE}, a, f"rep{n}@a.example.org").email for n in (1, 2)]
    notices.person(tenant, {Role.ACCOUNT_REPRESENTATIVE}, a)  # no address: cannot be told
    others = [
        notices.person(tenant, {Role.ACCOUNT_REPRESENTATIVE}, b, "rep@b.example.org").email,
        notices.person(tenant, {Role.REGISTRY_ADMIN}, None, "admin@registry.example.org").email,
    ]
    elsewhere = notices.registry()
    others.append(
        notices.person(
            elsewhere, {Role.ACCOUNT_REPRESENTATIVE}, notices.organization(elsewhere), "rep@elsewhere.example.org"
        ).email
    )
    source = open_account(ledger, "Holdings of A", a)
    ledger.transfer(1000, ledger.pool, source)  # funded before the strict policy applies
    sink = open_account(ledger, "Holdings of B", b)
    strict = replace(ledger.tenant, settings={**ledger.tenant.settings, **STRICT})
    return Holders(ServiceLedger(notices.platform, strict, ledger.pool), source, sink, told, others)  # type: ignore[arg-type]


def open_account(ledger: ServiceLedger, name: str, holder: UUID) -> UUID:
    opened = ledger.do(
        commands.OpenAccount(actor_id=INITIATOR, account_type=AccountType.ENTITY_HOLDING, name=name, holder_id=holder)
    )
    return UUID(opened.record_id)


def propose(h: Holders, quantity: int) -> UUID:
    command = commands.TransferUnits(
        actor_id=INITIATOR, source_account_id=h.source, destination_account_id=h.sink, quantity=quantity
    )
    transaction_id: UUID = h.ledger.do(command).transaction_id
    return transaction_id


def only_to(smtp: SmtpServer, h: Holders) -> list[EmailMessage]:
    """The messages of this step: one to each of the source's representatives, none to anyone else."""
    assert smtp.mailbox.recipients() == sorted(h.told)
    messages = [message for _, message in smtp.mailbox.messages]
    assert all(message["From"] == SENDER for message in messages)
    smtp.mailbox.clear()
    return messages


def body(message: EmailMessage) -> str:
    return message.get_content()


def test_a_transfer_tells_its_source_holders_when_proposed_approved_and_executed(
    notices: Notifying, smtp: SmtpServer
) -> None:
    h = holders(notices)
    notices.deliver()
    smtp.mailbox.clear()  # the funding transfer: no holder on the issuing side, nothing to A's people

    transaction_id = propose(h, 40)
    notices.deliver()
    proposed = only_to(smtp, h)
    link = f"{PUBLIC_URL}/registries/{h.ledger.tenant.code}/console/transactions/{transaction_id}"
    assert "was proposed and waits for approval" in proposed[0]["Subject"]
    assert link in body(proposed[0])
    assert "Quantity: 40" in body(proposed[0])
    assert "Type: transfer within the registry" in body(proposed[0])

    h.ledger.do(commands.ApproveTransaction(actor_id=APPROVER, transaction_id=transaction_id))
    notices.deliver()
    delayed = only_to(smtp, h)
    assert "will execute at 2026-03-02 10:00 UTC unless cancelled" in delayed[0]["Subject"]
    assert "Executes at: 2026-03-02 10:00 UTC" in body(delayed[0])
    assert link in body(delayed[0])

    notices.clock.advance(timedelta(minutes=61))
    h.ledger.do(commands.ExecuteDueTransactions())
    notices.deliver()
    executed = only_to(smtp, h)
    assert "was executed" in executed[0]["Subject"]
    assert "/console/transactions/" not in body(executed[0])  # nothing left to cancel


def test_cancelled_and_rejected_movements_are_told_too(notices: Notifying, smtp: SmtpServer) -> None:
    h = holders(notices)
    rejected, cancelled = propose(h, 5), propose(h, 6)
    notices.deliver()
    smtp.mailbox.clear()

    h.ledger.do(commands.RejectTransaction(actor_id=APPROVER, transaction_id=rejected, reason="not ours"))
    notices.deliver()
    [first, _] = only_to(smtp, h)
    assert "was rejected" in first["Subject"]
    assert "Reason: not ours" in body(first)

    h.ledger.do(commands.CancelTransaction(actor_id=INITIATOR, transaction_id=cancelled, reason="typo"))
    notices.deliver()
    [first, _] = only_to(smtp, h)
    assert "was cancelled" in first["Subject"]


def test_a_redelivered_event_sends_no_second_email(notices: Notifying, smtp: SmtpServer) -> None:
    h = holders(notices)
    propose(h, 7)
    notices.deliver()
    assert len(smtp.mailbox.to(h.told[0])) == 1
    queued = queued_count(notices, h.ledger.tenant.id)

    assert notices.runtime is not None
    notices.runtime.replay()  # forgets the processed marks: every event arrives again
    notices.deliver()

    assert len(smtp.mailbox.to(h.told[0])) == 1
    assert queued_count(notices, h.ledger.tenant.id) == queued


def test_an_smtp_outage_delays_the_notice_and_loses_nothing(notices: Notifying, smtp: SmtpServer) -> None:
    h = holders(notices)
    notices.deliver()
    smtp.mailbox.clear()
    smtp.stop()

    propose(h, 8)
    sent = notices.deliver()
    assert (sent.sent, sent.failed) == (0, 1)  # the first refused; the other was not tried
    assert smtp.mailbox.messages == []

    smtp.start()
    assert notices.deliver().sent == 1  # the one not tried goes at once; the refused one waits its backoff
    notices.clock.advance(timedelta(seconds=29))
    assert notices.deliver().sent == 0
    notices.clock.advance(timedelta(seconds=2))
    assert notices.deliver().sent == 1
    assert smtp.mailbox.recipients() == sorted(h.told)


def test_a_registry_in_french_writes_in_french(notices: Notifying, smtp: SmtpServer) -> None:
    ledger = set_up(notices.platform, new_tenant_command(settings={"default_language": "fr"}))
    tenant = notices.platform.catalogue.get(ledger.tenant.code)
    organization = notices.organization(tenant)
    notices.person(tenant, {Role.ACCOUNT_REPRESENTATIVE}, organization, "titulaire@fr.example.org")
    source = open_account(ledger, "Avoirs", organization)
    ledger.transfer(10, ledger.pool, source)
    strict = ServiceLedger(
        notices.platform, replace(ledger.tenant, settings={**ledger.tenant.settings, **STRICT}), ledger.pool
    )  # type: ignore[arg-type]
    sink = open_account(ledger, "Ailleurs", notices.organization(tenant))
    strict.do(
        commands.TransferUnits(actor_id=INITIATOR, source_account_id=source, destination_account_id=sink, quantity=3)
    )
    notices.deliver()

    [message] = smtp.mailbox.to("titulaire@fr.example.org")
    assert "a été proposé et attend son approbation" in message["Subject"]
    assert "Quantité : 3" not in body(message)  # labels are "Label: value" in every language
    assert "Quantité: 3" in body(message)


def queued_count(notices: Notifying, tenant_id: UUID) -> int:
    with notices.platform.database.transaction(tenant_id) as session:
        return int(session.scalar(select(func.count()).where(emails.c.tenant_id == tenant_id)) or 0)


def test_an_idle_send_round_looks_at_every_registry_in_one_transaction(notices: Notifying) -> None:
    for _ in range(6):
        notices.registry()
    begun: list[object] = []

    def record(connection: object) -> None:
        begun.append(connection)

    engine = notices.platform.database.engine
    sqlalchemy_event.listen(engine, "begin", record)
    try:
        assert sender_for(notices.platform).send_due().sent == 0
    finally:
        sqlalchemy_event.remove(engine, "begin", record)
    assert len(begun) <= 2  # the catalogue's list of registries, then one look at all of them


def test_operators_see_which_emails_wait_and_why(
    notices: Notifying, smtp: SmtpServer, database_urls: DatabaseUrls
) -> None:
    h = holders(notices)
    notices.deliver()
    smtp.stop()
    propose(h, 8)
    notices.deliver()

    env = {"DATABASE_URL": database_urls.app, "DATABASE_OWNER_URL": database_urls.owner, "SECRET_KEY": TEST_SECRET}
    result = CliRunner().invoke(main, ["notifications", h.ledger.tenant.code, "--status", "pending"], env=env)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert sorted(line.split()[0] for line in lines) == sorted(h.told)
    assert sum("attempts=1" in line and "ConnectionRefusedError" in line for line in lines) == 1
    assert all("was proposed and waits for approval" in line for line in lines)
