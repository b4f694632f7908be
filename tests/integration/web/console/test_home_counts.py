"""The console home counts every account the person sees, not the length of the list it shows."""

from __future__ import annotations

import re

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from tests.integration.web.console.conftest import ACTOR, World


def test_the_home_counts_every_account_beyond_the_first_page(world: World) -> None:
    platform = platform_of(world.app)
    bus = platform.ledger.bus(platform.ledger_tenant(world.tenant))
    for n in range(12):
        bus.handle(commands.OpenAccount(actor_id=ACTOR, account_type=AccountType.PARTY_HOLDING, name=f"extra {n}"))
    expected = len(world.accounts) + 12

    html = world.client(Role.REGISTRY_ADMIN).get(f"{world.root}/?lang=en").get_data(as_text=True)

    match = re.search(r'<h2>Accounts</h2>\s*<p class="figure"[^>]*>([^<]+)</p>', html)
    assert match is not None
    assert int(match.group(1).replace(",", "")) == expected > 10
