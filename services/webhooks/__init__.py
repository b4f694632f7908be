"""Webhooks: integrators subscribe HTTPS endpoints to a registry's events, delivered signed (Standard Webhooks)."""
