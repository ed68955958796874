"""Persistence: SQLAlchemy models, sessions with instance locking, and read queries (no Flask here)."""
