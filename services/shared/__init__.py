"""The shared kernel: ids, clock, message base classes, the secret box and the database layer (`db`).
It knows no context. Keep it tiny."""
