"""Witnessing wired to the platform: registries of the platform cosign each other's checkpoints in-process,
others over HTTP (docs/transparency.md, *Witnesses*)."""

from __future__ import annotations

from collections.abc import Callable

from gateway.bootstrap.platform import Platform
from gateway.training.guards import same_side
from services.shared.secret_box import AesGcmSecretBox
from services.transparency.bootstrap import http_witness
from services.transparency.domain.witness import UnknownLog
from services.transparency.entrypoints.witnessing import add_checkpoint, collect_cosignatures
from services.transparency.service_layer.ports import WitnessClient, WitnessEntry
from tenants.domain.model import Tenant


class PlatformWitnessClient:
    """A registry of this platform as the witness: its rule and its key, in its own transaction."""

    def __init__(self, platform: Platform, code: str) -> None:
        self.platform, self.code = platform, code

    def add_checkpoint(self, request: str) -> str:
        witness = self.platform.catalogue.find(self.code)
        if witness is None or not witness.is_served:
            raise UnknownLog(f"the witness registry {self.code!r} is not served on this platform")
        box = AesGcmSecretBox(self.platform.settings.secret_key)
        return add_checkpoint(
            self.platform.database, witness.id, witness.registry_id, box, request, self.platform.clock
        )


class ClosedWitness:
    """A witness across the training boundary: never sent a checkpoint."""

    def add_checkpoint(self, request: str) -> str:
        raise UnknownLog("training registries witness, and are witnessed by, training registries only")


def client_for(platform: Platform, log: Tenant) -> Callable[[WitnessEntry], WitnessClient]:
    def make(witness: WitnessEntry) -> WitnessClient:
        other = platform.catalogue.find(witness.registry_code) if witness.registry_code is not None else None
        if not same_side(log, other):
            return ClosedWitness()
        if witness.registry_code is not None:
            return PlatformWitnessClient(platform, witness.registry_code)
        return http_witness(witness.url or "")

    return make


def cosign_latest(platform: Platform, tenant: Tenant) -> list[str]:
    """Ask the registry's witnesses to cosign its latest checkpoint: the names of those that did."""
    return collect_cosignatures(platform.database, tenant.id, client_for(platform, tenant), platform.clock)
