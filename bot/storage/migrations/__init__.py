"""Alembic migrations of the schema in bot/storage/schema.py (see env.py)."""
