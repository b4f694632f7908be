"""What the onboarding journey refuses, each with a stable code for the problem+json answer."""

from __future__ import annotations


class OnboardingError(Exception):
    code = "onboarding.invalid"
    status = 422


class InvalidScript(OnboardingError):
    code = "onboarding.invalid_script"


class InvalidFeedback(OnboardingError):
    code = "onboarding.invalid_feedback"


class InvalidAnswer(OnboardingError):
    code = "onboarding.invalid_answer"


class NotTraining(OnboardingError):
    code = "onboarding.not_training"
    status = 409


class AssessmentIncomplete(OnboardingError):
    code = "onboarding.assessment_incomplete"
    status = 409


class PromotionNotFound(OnboardingError):
    code = "resource.not_found"
    status = 404


class PromotionConflict(OnboardingError):
    code = "onboarding.promotion_conflict"
    status = 409


class SameOperator(OnboardingError):
    """Four eyes: the operator who asked for a promotion cannot approve it."""

    code = "onboarding.same_operator"
    status = 403
