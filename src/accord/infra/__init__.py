"""What the floors share off the core: record files (bounded reads, atomic writes),
signature checks in worker processes, SQLite's durable settings."""
