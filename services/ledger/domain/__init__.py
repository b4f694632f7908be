"""Pure domain model of the ledger: no I/O, no framework imports."""
