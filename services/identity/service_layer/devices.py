"""Sign-ins from new devices: the device is remembered and the event for the person's notice recorded."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from services.identity.domain.devices import KnownDevice, SignedInFromNewDevice, describe, device_key
from services.identity.service_layer.ports import IdentityUnitOfWork


def recognise_device(
    uow: IdentityUnitOfWork, user_id: UUID, device_id: str, user_agent: str | None, registry: str, now: datetime
) -> bool:
    """Note a person's sign-in from a device; True when the device is new to them (then the event is recorded)."""
    key = device_key(device_id)
    with uow:
        if uow.devices.seen(user_id, key, now):
            uow.commit()
            return False
        description = describe(user_agent)
        device = KnownDevice(user_id=user_id, key=key, description=description, first_seen=now, last_seen=now)
        if not uow.devices.add(device):  # a concurrent sign-in from this device was first: it tells the person
            uow.commit()
            return False
        uow.events.record(
            SignedInFromNewDevice(user_id=user_id, device=description, at=now), registry, f"users/{user_id}"
        )
        uow.commit()
        return True
