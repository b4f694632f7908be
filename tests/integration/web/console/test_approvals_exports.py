"""The approvals inbox (four eyes: never one's own) and the exports of the transaction list."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from flask.testing import FlaskClient
from openpyxl import load_workbook

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from services.onboarding.adapters.files import scripts
from services.onboarding.adapters.sql import SqlEventLog
from services.onboarding.domain.scripts import ScriptRole, progress
from tenants.service_layer.catalogue import change_settings
from tests.integration.web.console.conftest import World, csrf

FOUR_EYES = {"approval_policy": {"four_eyes": ["transfer_domestic"]}, "mfa_required_for": []}


def _hold_a_transfer(world: World, client: FlaskClient) -> str:
    change_settings(platform_of(world.app).catalogue, world.tenant.code, FOUR_EYES)
    form = {
        "csrf_token": csrf(client),
        "source_account_id": str(world.accounts["party"]),
        "destination_account_id": str(world.accounts["holder"]),
        "quantity": "5",
    }
    answer = client.post(world.root + "/actions/domestic-transfer", data=form)
    assert answer.status_code == 303
    assert "awaiting approval" in client.get(answer.headers["Location"]).get_data(as_text=True).lower()
    return str(answer.headers["Location"]).rsplit("/", 1)[1]


def test_a_second_person_approves_in_the_inbox(world: World) -> None:
    initiator = world.client(Role.REGISTRY_ADMIN, Role.APPROVER)
    held = _hold_a_transfer(world, initiator)
    own = initiator.post(f"{world.root}/approvals/{held}/approve", data={"csrf_token": csrf(initiator)})
    assert own.status_code == 409
    assert "LDG-072" in own.get_data(as_text=True)
    approver = world.client(Role.APPROVER)
    inbox = approver.get(world.root + "/approvals").get_data(as_text=True)
    assert f"/approvals/{held}/approve" in inbox
    assert approver.post(f"{world.root}/approvals/{held}/approve").status_code == 403  # no CSRF token
    done = approver.post(f"{world.root}/approvals/{held}/approve", data={"csrf_token": csrf(approver)})
    assert done.status_code == 303
    assert "Nothing is waiting for approval." in approver.get(world.root + "/approvals").get_data(as_text=True)


def test_a_rejection_needs_a_reason(world: World) -> None:
    held = _hold_a_transfer(world, world.client(Role.REGISTRY_ADMIN))
    approver = world.client(Role.APPROVER)
    url = f"{world.root}/approvals/{held}/reject"
    blank = approver.post(url, data={"csrf_token": csrf(approver), "reason": " "})
    assert blank.status_code == 422
    assert "Give the reason" in blank.get_data(as_text=True)
    assert approver.post(url, data={"csrf_token": csrf(approver), "reason": "wrong account"}).status_code == 303
    page = approver.get(f"{world.root}/transactions/{held}").get_data(as_text=True)
    assert "Rejected" in page
    assert "wrong account" in page


def test_an_approval_needs_the_second_factor_the_registry_requires(world: World) -> None:
    held = _hold_a_transfer(world, world.client(Role.REGISTRY_ADMIN))
    change_settings(platform_of(world.app).catalogue, world.tenant.code, {"mfa_required_for": ["approvals"]})
    approver = world.client(Role.APPROVER)
    refused = approver.post(f"{world.root}/approvals/{held}/approve", data={"csrf_token": csrf(approver)})
    assert refused.status_code == 403
    assert "second factor" in refused.get_data(as_text=True)


def test_the_filtered_list_exports_as_csv_and_xlsx(world: World) -> None:
    client = world.client(Role.AUDITOR)
    answer = client.get(world.root + "/transactions.csv?type=transfer_domestic")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert [row["type"] for row in rows] == ["transfer_domestic", "transfer_domestic"]
    assert sorted(int(row["quantity"]) for row in rows) == [100, 1000]
    book = load_workbook(io.BytesIO(client.get(world.root + "/transactions.xlsx").data))
    sheet = book.active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("number", "type", "status", "quantity")
    assert len(values) == 5
    assert all(isinstance(row[3], int) for row in values[1:])
    assert all(row[6] is not None and hasattr(row[6], "year") for row in values[1:])


def test_a_representative_exports_only_its_accounts_transactions(world: World) -> None:
    client = world.client(Role.ACCOUNT_REPRESENTATIVE, organization_id=world.organization)
    rows = list(csv.DictReader(io.StringIO(client.get(world.root + "/transactions.csv").get_data(as_text=True))))
    assert [row["quantity"] for row in rows] == ["100"]


def test_the_initiator_cancels_a_held_transaction_with_a_reason(world: World) -> None:
    admin = world.client(Role.REGISTRY_ADMIN)
    held = _hold_a_transfer(world, admin)
    url = f"{world.root}/transactions/{held}/cancel"
    assert "Cancel this transaction" in admin.get(f"{world.root}/transactions/{held}").get_data(as_text=True)
    blank = admin.post(url, data={"csrf_token": csrf(admin), "reason": ""}, follow_redirects=True)
    assert "Give the reason for the cancellation." in blank.get_data(as_text=True)
    done = admin.post(url, data={"csrf_token": csrf(admin), "reason": "typo"}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "Cancelled" in page
    assert "typo" in page


def test_an_export_is_audited_so_the_auditor_s_script_step_is_measured(world: World) -> None:
    platform = platform_of(world.app)
    log = SqlEventLog(platform.database)
    since = datetime(2000, 1, 1, tzinfo=UTC)
    export_step = scripts()[ScriptRole.AUDITOR].steps[0]
    assert not progress(scripts()[ScriptRole.AUDITOR], log.events_since(world.tenant.id, since)).steps[0].done
    assert world.client(Role.AUDITOR).get(world.root + "/transactions.xlsx").status_code == 200
    ticked = progress(scripts()[ScriptRole.AUDITOR], log.events_since(world.tenant.id, since)).steps[0]
    assert (ticked.step, ticked.done) == (export_step, True)
