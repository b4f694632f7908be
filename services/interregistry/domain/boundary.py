"""Training registries trade only with training registries: nothing real enters one, nothing of one leaves.

A registry outside the platform is never a training registry.
"""

from __future__ import annotations

from services.interregistry.domain.messages import Refusal

TRAINING_BOUNDARY = "training_boundary"


def boundary_refusal(transferring_training: bool, acquiring_training: bool) -> Refusal | None:
    """None when the two registries may trade; else why not."""
    if transferring_training == acquiring_training:
        return None
    return Refusal(
        TRAINING_BOUNDARY,
        "a training registry transfers only to and from training registries; the other registry is "
        + ("a production one" if transferring_training or acquiring_training else "a training one"),
    )
