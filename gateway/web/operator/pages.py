"""Operator console pages: tenants, onboarding, lifecycle and platform health."""

from __future__ import annotations
