"""Column types the revisions share, frozen here: a released revision must not change shape.

They match the types of `bot/storage/schema.py` (a test compares the migrated schema with it),
but revisions import these, never the live schema, which may move on.
"""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa

CHAT_ID: Final = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ROW_ID: Final = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
FLAG: Final = sa.Boolean().with_variant(sa.Integer(), "sqlite")
UNIX_TIME: Final = sa.Double[float]().with_variant(sa.REAL(), "sqlite")
