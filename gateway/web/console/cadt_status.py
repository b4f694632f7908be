"""Registry console: cadt_status pages."""

from __future__ import annotations
