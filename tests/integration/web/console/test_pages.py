"""Console pages behind sign-in: home, accounts, transactions, and what each role sees."""

from __future__ import annotations

from uuid import uuid4

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tests.integration.web.console.conftest import World


def test_every_console_page_needs_a_session(world: World) -> None:
    client = world.app.test_client()
    for path in ("/", "/accounts", "/actions", "/approvals", "/transactions", "/transactions.csv"):
        answer = client.get(world.root + path)
        assert answer.status_code == 302, path
        assert "/oauth/authorize" in answer.headers["Location"]


def test_home_shows_accounts_and_recent_transactions(world: World) -> None:
    client = world.client(Role.REGISTRY_ADMIN, Role.APPROVER)
    html = client.get(world.root + "/").get_data(as_text=True)
    assert "<h1>Registry console</h1>" in html
    assert "Waiting for approval" in html
    assert f"{world.root}/accounts/{world.accounts['party']}" in html
    assert 'href="' + world.root + '/settings"' in html


def test_navigation_shows_only_what_the_roles_can_use(world: World) -> None:
    client = world.client(Role.ACCOUNT_REPRESENTATIVE, organization_id=world.organization)
    html = client.get(world.root + "/").get_data(as_text=True)
    assert 'href="' + world.root + '/actions"' in html
    for hidden in ("/approvals", "/settings", "/audit"):
        assert 'href="' + world.root + hidden + '"' not in html


def test_an_account_page_shows_holdings_blocks_and_statement(world: World) -> None:
    client = world.client(Role.REGISTRY_ADMIN)
    answer = client.get(f"{world.root}/accounts/{world.accounts['party']}")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "Total held: 890 units" in html
    assert "Blocks of units" in html
    assert "mitigation_outcome" in html
    assert "Opening balance: 0" in html


def test_a_statement_period_in_the_wrong_order_is_shown_in_place(world: World) -> None:
    client = world.client(Role.REGISTRY_ADMIN)
    answer = client.get(f"{world.root}/accounts/{world.accounts['party']}?start=2030-01-01&end=2020-01-01")
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'class="field invalid"' in html
    assert "swap them" in html
    assert 'value="2030-01-01"' in html


def test_a_representative_sees_only_its_organization_accounts(world: World) -> None:
    client = world.client(Role.ACCOUNT_REPRESENTATIVE, organization_id=world.organization)
    listing = client.get(world.root + "/accounts").get_data(as_text=True)
    assert str(world.accounts["holder"]) in listing
    assert str(world.accounts["other"]) not in listing
    assert str(world.accounts["party"]) not in listing
    own = client.get(f"{world.root}/accounts/{world.accounts['holder']}")
    assert own.status_code == 200
    assert "Total held: 100 units" in own.get_data(as_text=True)
    foreign = client.get(f"{world.root}/accounts/{world.accounts['other']}")
    assert foreign.status_code == 404
    assert foreign.mimetype == "text/html"
    assert client.get(f"{world.root}/accounts/{uuid4()}").status_code == 404


def test_another_registry_account_and_transaction_are_404_pages(world: World) -> None:
    from tests.integration.web.public.seed import registry, seed

    platform = platform_of(world.app)
    other = seed(platform, registry(platform))
    client = world.client(Role.REGISTRY_ADMIN)
    # The other registry's console has no session for this person: it asks to sign in there.
    assert client.get(f"/registries/{other.tenant.code}/console/accounts").status_code == 302
    # This registry's console knows nothing of the other registry's account or transaction.
    assert client.get(f"{world.root}/accounts/{other.accounts['party']}").status_code == 404
    assert client.get(f"{world.root}/transactions/{other.retirement_id}").status_code == 404
    assert client.get(f"{world.root}/transactions?account_id={other.accounts['party']}").status_code == 200


def test_transactions_filter_and_page(world: World) -> None:
    client = world.client(Role.AUDITOR)
    everything = client.get(world.root + "/transactions").get_data(as_text=True)
    assert "4 transactions" in everything
    retirements = client.get(world.root + "/transactions?type=retirement").get_data(as_text=True)
    assert "1 transactions" in retirements
    bad = client.get(world.root + "/transactions?from=yesterday")
    assert bad.status_code == 422
    assert "YYYY-MM-DD" in bad.get_data(as_text=True)


def test_a_retirement_links_to_its_public_page(world: World) -> None:
    client = world.client(Role.AUDITOR)
    html = client.get(f"{world.root}/transactions/{world.retirement_id}").get_data(as_text=True)
    public = f"/registries/{world.tenant.code}/retirements/{world.retirement_id}"
    assert f'href="{public}"' in html
    assert "Status history" in html
    assert "Units moved" in html
    assert world.app.test_client().get(public).status_code == 200


def test_a_representative_sees_only_its_accounts_transactions(world: World) -> None:
    client = world.client(Role.ACCOUNT_REPRESENTATIVE, organization_id=world.organization)
    html = client.get(world.root + "/transactions").get_data(as_text=True)
    assert "1 transactions" in html
    assert client.get(f"{world.root}/transactions/{world.retirement_id}").status_code == 404


def test_the_console_speaks_french_and_spanish(world: World) -> None:
    client = world.client(Role.REGISTRY_ADMIN)
    french = client.get(world.root + "/actions/retirement?lang=fr").get_data(as_text=True)
    assert "Retirer des unités" in french
    assert "Compte de retrait" in french
    spanish = client.get(world.root + "/accounts?lang=es").get_data(as_text=True)
    assert "<h1>Cuentas</h1>" in spanish


def test_the_console_catalogs_translate_every_string() -> None:
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[4] / "gateway" / "web" / "translations" / "console"
    for language in ("fr", "es"):
        with (root / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        empty = [m.id for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])]
        assert empty == [], language
        assert (root / language / "LC_MESSAGES" / "messages.mo").exists()
