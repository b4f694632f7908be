"""Registry console: accounts, holdings, action forms, approvals and transactions (imports every page module)."""

from __future__ import annotations

from gateway.web.console import accounts, actions, approvals, common, home, pending, protection, transactions

__all__ = ["accounts", "actions", "approvals", "common", "home", "pending", "protection", "transactions"]
