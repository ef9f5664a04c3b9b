"""Count attempts of every kind in one table: the login lockout's failures and the rate limits.

Failed logins move from `login_failures` to `attempts` with scope `login`, so a lockout under way
holds across the upgrade.

Revision ID: 20261130_0001
Revises: 20261125_0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261130_0001"
down_revision: str | None = "20261125_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "attempts",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=320), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempts")),
    )
    op.create_index(
        "ix_attempts_scope_key_attempted_at", "attempts", ["scope", "key", "attempted_at"]
    )
    op.execute(
        "INSERT INTO attempts (scope, key, attempted_at) "
        "SELECT 'login', email, failed_at FROM login_failures"
    )
    op.drop_index("ix_login_failures_email_failed_at", table_name="login_failures")
    op.drop_table("login_failures")


def downgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_email_failed_at", "login_failures", ["email", "failed_at"])
    op.execute(
        "INSERT INTO login_failures (email, failed_at) "
        "SELECT key, attempted_at FROM attempts WHERE scope = 'login'"
    )
    op.drop_index("ix_attempts_scope_key_attempted_at", table_name="attempts")
    op.drop_table("attempts")
