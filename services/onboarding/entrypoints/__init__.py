"""The journey has no consumer or timer of its own: it reads a registry's event log when a page or the API
asks (docs/onboarding.md, *Guided test scripts*)."""
