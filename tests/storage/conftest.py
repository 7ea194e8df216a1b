"""The storage tests run on SQLite and on PostgreSQL (a real server, tests/helpers/postgres.py)."""

from __future__ import annotations

import pytest

from tests.helpers.postgres import parametrize_backends


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test on the database runs on SQLite and on PostgreSQL."""
    parametrize_backends(metafunc)
