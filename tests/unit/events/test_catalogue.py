from pathlib import Path

import pytest

from gateway.cli.events import event_catalogue
from services.events.domain.envelope import MalformedEnvelope, parse


def test_docs_events_md_is_generated_from_the_code() -> None:
    rendered = event_catalogue().render_markdown()
    assert Path("docs/events.md").read_text() == rendered, "run: registry events catalogue > docs/events.md"


def test_every_ledger_event_type_is_versioned_and_supported() -> None:
    catalogue = event_catalogue()
    types = [t.type for t in catalogue]
    assert "ledger.units.transferred.v1" in types
    assert all(catalogue.supports(t) for t in types)
    assert not catalogue.supports("ledger.units.transferred.v2")


@pytest.mark.parametrize("raw", [b"not json", b'{"specversion": "0.3"}', b'{"specversion": "1.0", "type": "x"}'])
def test_a_malformed_envelope_is_refused(raw: bytes) -> None:
    with pytest.raises(MalformedEnvelope):
        parse(raw)


def test_the_catalogue_lists_the_messages_registries_exchange_with_their_fields() -> None:
    catalogue = {t.type: t for t in event_catalogue()}

    for message in ("requested", "accepted", "refused"):
        assert f"interregistry.transfer.{message}.v1" in catalogue
    acknowledged = catalogue["interregistry.message.acknowledged.v1"]
    assert [name for name, _ in acknowledged.fields] == ["message_id", "transfer_id", "status"]
    assert ("acquiring_account_number", "str or None") in catalogue["interregistry.transfer.requested.v1"].fields
    assert not event_catalogue().supports("interregistry.transfer.requested.v2")
