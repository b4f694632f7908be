"""Training registries: where a country's staff learn on fictional data that never leaves training."""
