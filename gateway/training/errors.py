"""Why an action on a training registry is refused; each carries its problem's status and stable code."""

from __future__ import annotations


class TrainingRefused(ValueError):
    status = 409
    code = "training.refused"


class NotTrainingRegistry(TrainingRefused):
    """Training data and training actions are for training registries only."""

    code = "training.production_registry"


class PartnerNotTraining(TrainingRefused):
    """A training registry's partner must be another training registry."""

    status = 422
    code = "training.partner_not_training"
