"""The hash-chained audit log: its arithmetic, appending and verification."""
