"""The devices a person signs in from, so that a sign-in from a new one can be told to them.

A device is a browser holding the platform's long-lived device cookie: a random identifier, signed by
the platform. Only a hash of the identifier is stored, with the browser's own description of itself
(its user agent) for the message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.shared.messages import Event

DESCRIPTION_LENGTH = 200


@dataclass(kw_only=True)
class KnownDevice:
    user_id: UUID
    key: str  # SHA-256 of the device identifier, hex
    description: str
    first_seen: datetime
    last_seen: datetime


def device_key(device_id: str) -> str:
    return hashlib.sha256(device_id.encode()).hexdigest()


def describe(user_agent: str | None) -> str:
    text = " ".join((user_agent or "").split())
    return text[:DESCRIPTION_LENGTH] or "unknown browser"


@dataclass(frozen=True)
class SignedInFromNewDevice(Event):
    """A person signed in with their password from a device they had not signed in from before."""

    type = "identity.sign_in.new_device.v1"
    user_id: UUID
    device: str  # the browser's description of itself
    at: datetime
