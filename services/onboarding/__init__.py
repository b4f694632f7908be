"""A country's onboarding journey: guided scripts in a training registry, feedback, needs assessment, promotion."""
