"""The platform's database layer: engines, tenant-bound sessions and connections, row-level security,
column types and the PostgreSQL fast path. Every context builds on it; it knows no context."""
