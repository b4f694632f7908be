"""The shared kernel: ids, clock and message base classes. Keep it tiny."""
