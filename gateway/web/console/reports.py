"""Registry console: reports pages."""

from __future__ import annotations
