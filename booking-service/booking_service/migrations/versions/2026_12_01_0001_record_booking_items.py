"""Record what a booking holds per ticket type, with names and prices as booked.

`items` is a JSON list of `{ticket_type_id, quantity}` as asked (null: the event's default
type, as every booking before this revision), completed with `name` and `unit_price` when the
booking is confirmed. Earlier bookings keep null: they show no items.

Revision ID: 20261201_0001
Revises: 20261130_0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_0001"
down_revision: str | None = "20261130_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("items", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("items")
