"""Registry console: tenant_settings pages."""

from __future__ import annotations
