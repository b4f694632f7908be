"""Registry console: accounts, holdings, action forms, approvals and transactions (imports every page module)."""

from __future__ import annotations
