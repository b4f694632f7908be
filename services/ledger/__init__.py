"""The ledger bounded context: every Article 6.2 action on units, checked and journaled."""
