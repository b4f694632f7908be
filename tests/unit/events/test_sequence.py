"""The `sequence` extension: the relay writes it into the envelope, consumers read it back as a number."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from services.events.domain.envelope import CloudEvent, MalformedEnvelope, parse, stamped


def event() -> CloudEvent:
    return CloudEvent(uuid4(), "/registries/x", "ledger.units.retired.v1", "s", datetime.now(UTC), uuid4(), {})


def test_a_stamped_event_carries_its_sequence_as_text_that_sorts_like_the_number() -> None:
    raw = stamped(event().to_json(), 42)
    assert b'"sequence":"0000000000000000042"' in raw
    assert parse(raw).sequence == 42
    texts = [parse(stamped(event().to_json(), n)).to_dict()["sequence"] for n in (9, 10, 2**63 - 1)]
    assert texts == sorted(texts)


def test_an_event_published_before_sequences_has_none_and_a_bad_one_is_malformed() -> None:
    assert parse(event().to_json()).sequence is None
    with pytest.raises(MalformedEnvelope):
        parse(event().to_json().replace(b'"data":{}', b'"data":{},"sequence":"seven"'))
