"""Which endpoints are allowed (no server-side request forgery), which events a subscription wants, and the
backoff between attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.webhooks.domain.deliveries import MAX_ATTEMPTS, DeliveryStatus, after_failure, backoff, delivery_id
from services.webhooks.domain.endpoints import check_addresses, host_of
from services.webhooks.domain.subscriptions import (
    Subscription,
    SubscriptionRefused,
    SubscriptionStatus,
    check_scope,
)

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "allow_loopback", "code"),
    [
        ("http://hooks.example.com/x", False, "webhooks.url_invalid"),
        ("http://127.0.0.1:8080/x", False, "webhooks.url_invalid"),
        ("ftp://hooks.example.com/x", True, "webhooks.url_invalid"),
        ("https://user:pw@hooks.example.com/x", False, "webhooks.url_invalid"),
        ("https:///x", False, "webhooks.url_invalid"),
        ("http://10.0.0.1/x", True, "webhooks.url_invalid"),
    ],
)
def test_an_endpoint_url_of_the_wrong_form_is_refused(url: str, allow_loopback: bool, code: str) -> None:
    with pytest.raises(SubscriptionRefused) as refused:
        host_of(url, allow_loopback=allow_loopback)
    assert refused.value.code == code


def test_https_anywhere_and_http_to_this_machine_only_when_allowed() -> None:
    assert host_of("https://Hooks.Example.com/in", allow_loopback=False) == "hooks.example.com"
    assert host_of("http://127.0.0.1:8080/in", allow_loopback=True) == "127.0.0.1"
    assert host_of("http://localhost/in", allow_loopback=True) == "localhost"


@pytest.mark.parametrize(
    "address",
    ["10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",  # noqa: S104
     "127.0.0.1", "::1",
     "fe80::1", "fd00::1", "224.0.0.1", "::ffff:10.0.0.1"],
)  # fmt: skip
def test_private_link_local_and_loopback_addresses_are_refused(address: str) -> None:
    with pytest.raises(SubscriptionRefused) as refused:
        check_addresses(["93.184.216.34", address], allow_loopback=False)
    assert refused.value.code == "webhooks.url_not_public"


def test_public_addresses_pass_and_loopback_only_where_allowed() -> None:
    check_addresses(["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"], allow_loopback=False)
    check_addresses(["127.0.0.1", "::1"], allow_loopback=True)
    with pytest.raises(SubscriptionRefused) as refused:
        check_addresses([], allow_loopback=False)
    assert refused.value.code == "webhooks.url_unresolvable"


def subscription(accounts: frozenset | None = None, created_at: datetime = T0) -> Subscription:  # type: ignore[type-arg]
    return Subscription(
        uuid4(), uuid4(), "https://h.example", frozenset({"ledger.units.transferred.v1"}), accounts, None, "",
        SubscriptionStatus.ACTIVE, "admin", created_at,
    )  # fmt: skip


def test_a_subscription_wants_its_types_after_it_was_made_and_of_its_accounts() -> None:
    mine, other = uuid4(), uuid4()
    whole, holder = subscription(), subscription(frozenset({mine}))
    moved = {"from_account_id": str(other), "to_account_id": str(mine)}

    assert whole.wants("ledger.units.transferred.v1", moved, T0)
    assert not whole.wants("ledger.units.issued.v1", moved, T0)
    assert not whole.wants("ledger.units.transferred.v1", moved, T0 - timedelta(seconds=1))
    assert holder.wants("ledger.units.transferred.v1", moved, T0)
    assert not holder.wants("ledger.units.transferred.v1", {"from_account_id": str(other)}, T0)
    assert not holder.wants("ledger.units.transferred.v1", {}, T0)


def test_an_account_holder_names_only_its_own_accounts() -> None:
    mine, other = uuid4(), uuid4()
    known = frozenset({"ledger.units.transferred.v1"})
    check_scope(known, known, frozenset({mine}), frozenset({mine}))
    check_scope(known, known, None, None)  # an administrator: the whole registry
    for accounts, code in [
        (None, "webhooks.accounts_required"),
        (frozenset({mine, other}), "webhooks.account_not_yours"),
    ]:
        with pytest.raises(SubscriptionRefused) as refused:
            check_scope(known, known, accounts, frozenset({mine}))
        assert refused.value.code == code
    with pytest.raises(SubscriptionRefused) as refused:
        check_scope(frozenset({"ledger.nothing.v1"}), known, None, None)
    assert refused.value.code == "webhooks.event_type_unknown"


def test_the_wait_grows_exponentially_then_the_delivery_fails() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=30), timedelta(seconds=90), timedelta(seconds=270)]
    assert backoff(20) == timedelta(hours=6)
    assert after_failure(1, T0) == (DeliveryStatus.PENDING, T0 + timedelta(seconds=30))
    assert after_failure(MAX_ATTEMPTS, T0) == (DeliveryStatus.FAILED, None)


def test_one_delivery_per_event_and_subscription() -> None:
    event, first, second = uuid4(), uuid4(), uuid4()
    assert delivery_id(event, first) == delivery_id(event, first) != delivery_id(event, second)
