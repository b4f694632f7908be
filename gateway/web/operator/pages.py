"""Operator console pages: tenants, onboarding, lifecycle and platform health (imports every page module)."""

from __future__ import annotations

from gateway.web.operator import journeys, onboarding, people, platform_health, tenants, training

__all__ = ["journeys", "onboarding", "people", "platform_health", "tenants", "training"]
