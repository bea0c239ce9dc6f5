"""The query log's tables, in SQLAlchemy Core: one definition for SQLite and Postgres.

Times are seconds since the epoch (a float), the same on every engine and host.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

queries = sa.Table(
    "queries",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),  # made by the asker, so feedback can name it
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("surface", sa.String(16), nullable=False),
    sa.Column("user_key", sa.String(32), nullable=False),  # HMAC of the Slack id, never the id
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("grade", sa.String(16), nullable=False),  # answered, not_directly or declined
    sa.Column("actor", sa.String(64), nullable=True),
    sa.Column("passages", sa.Text, nullable=False),  # JSON list of "source:start-end"
    sa.Column("latency_ms", sa.Float, nullable=False),
)

feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("query_id", sa.String(32), primary_key=True),
    sa.Column("user_key", sa.String(32), primary_key=True),  # one vote per person and answer
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("vote", sa.String(8), nullable=False),  # up or down
    sa.Column("comment", sa.Text, nullable=True),
)
