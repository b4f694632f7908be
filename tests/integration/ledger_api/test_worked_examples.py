"""The regulator's worked examples, end to end through HTTP with real tokens, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from gateway.auth.principal import Role
from tests.integration.ledger_api.world import Registry, authorization, authorize, issue, transfer


def test_ghana_issues_authorizes_and_first_transfers_to_switzerland_which_uses_cancels_and_retires(
    ghana: Registry, switzerland: Registry
) -> None:
    # The registry issues verified mitigation outcomes into its issuance account.
    issued = issue(ghana, 1_000)
    assert issued["status"] == "completed"
    assert issued["units"] == [
        {
            "first_itmo_id": f"{ghana.approach_id}-{ghana.tenant.registry_id}-{ghana.party}-1-2023",
            "last_itmo_id": f"{ghana.approach_id}-{ghana.tenant.registry_id}-{ghana.party}-1000-2023",
        }
    ]
    transfer(ghana, 1_000, "issuance", "party")
    before_abroad = datetime.now(UTC)

    # The authorizing officer authorizes 600 of them for use towards an NDC.
    authorization_id = authorization(ghana, ["NDC"], authorized_quantity=800)
    authorized = authorize(ghana, 600, authorization_id)
    assert authorized["type"] == "authorization"
    assert authorized["status"] == "completed"
    assert ghana.read(f"/authorizations/{authorization_id}")["consumed"] == 600

    # Ghana first transfers 250 ITMOs to Switzerland: a second person approves, then it waits for Switzerland.
    requested = ghana.ok(
        "/transactions/international-transfers",
        {
            "source_account_id": ghana.accounts["party"],
            "external_account_id": ghana.accounts["partner"],
            "quantity": 250,
            "units": {"authorized": True},
        },
    )
    assert (requested["type"], requested["status"]) == ("first_transfer", "awaiting_approval")
    approved = ghana.ok(f"/transactions/{requested['transaction_id']}/approval", role=Role.APPROVER, status=200)
    assert approved["status"] == "awaiting_acceptance"
    assert ghana.holdings("party") == 1_000, "pending units stay in the account until Switzerland answers"

    # Switzerland acquires the ITMOs from the transfer Ghana's registry published, and Ghana hears it accepted.
    [request_data] = ghana.outbox_data("ledger.transfer.international_requested.v1")
    acquired = switzerland.ok(
        "/transactions/acquisitions", {"account_id": switzerland.accounts["party"], "transfer": request_data}
    )
    assert (acquired["type"], acquired["status"]) == ("acquisition", "completed")
    completed = ghana.ok(f"/transactions/{requested['transaction_id']}/acceptance", status=200)
    assert completed["status"] == "completed"
    assert completed["journal_sequence"] is not None
    assert ghana.holdings("party") == 750
    assert ghana.holdings("partner") == 250
    assert ghana.holdings("party", as_of=before_abroad.isoformat()) == 1_000

    # Switzerland uses 100 towards its NDC for 2025, cancels 10 for OMGE and retires 5 for a beneficiary.
    used = switzerland.ok(
        "/transactions/ndc-uses",
        {
            "source_account_id": switzerland.accounts["party"],
            "ndc_account_id": switzerland.accounts["ndc_2025"],
            "ndc_year": 2025,
            "quantity": 100,
        },
    )
    assert (used["type"], used["status"]) == ("use_ndc", "completed")
    omge = switzerland.ok(
        "/transactions/cancellations",
        {
            "source_account_id": switzerland.accounts["party"],
            "cancellation_account_id": switzerland.accounts["omge"],
            "quantity": 10,
        },
    )
    assert omge["type"] == "omge_cancellation"
    retired = switzerland.ok(
        "/transactions/retirements",
        {
            "source_account_id": switzerland.accounts["party"],
            "retirement_account_id": switzerland.accounts["retirement"],
            "quantity": 5,
            "beneficiary": "Zurich Airport AG",
            "reason": "Offsetting 2025 staff travel",
        },
    )
    assert retired["type"] == "retirement"

    assert switzerland.holdings("party") == 135
    assert switzerland.holdings("ndc_2025") == 100
    assert switzerland.holdings("omge") == 10
    assert switzerland.holdings("retirement") == 5
    detail = switzerland.read(f"/transactions/{retired['transaction_id']}")
    assert detail["details"]["beneficiary"] == "Zurich Airport AG"
    assert detail["executed_at"] is not None
    assert detail["changes"][0]["state"] == "retired"

    first_unit = retired["units"][0]["first_itmo_id"]
    trail = switzerland.read("/unit-history", itmo_id=first_unit)
    assert [entry["transaction_type"] for entry in trail["entries"]] == ["acquisition", "retirement"]
    statement = switzerland.read(f"/accounts/{switzerland.accounts['party']}/statement")
    assert (statement["opening_balance"], statement["closing_balance"]) == (0, 135)
    listed = switzerland.read("/transactions", type="retirement")
    assert [t["id"] for t in listed["items"]] == [retired["transaction_id"]]
