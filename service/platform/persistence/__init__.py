"""Persistence: the database session, row locks, migrations and the core models."""
