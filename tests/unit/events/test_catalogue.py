from pathlib import Path

import pytest

from gateway.bus import event_catalogue
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
