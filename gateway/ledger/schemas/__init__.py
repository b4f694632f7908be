"""Request and response bodies of the ledger API. Request bodies refuse unknown fields."""
