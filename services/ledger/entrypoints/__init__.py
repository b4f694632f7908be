"""The ledger has no process of its own: commands enter through `LedgerBus` (the gateway's API, console and
CLI) and through `services.ledger.api` (inter-registry's consumer), and its events leave through the outbox."""
