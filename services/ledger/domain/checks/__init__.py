"""Check functions: each takes loaded objects, raises CheckFailed or returns, and changes nothing."""
