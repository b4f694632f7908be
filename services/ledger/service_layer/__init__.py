"""Handlers, the unit of work and the queries of the ledger; they depend only on abstract repositories."""
