"""Record the event's time zone, venue and city on bookings; outbox notices carry facts only.

The cancellation notice is written from the booking alone, so the booking keeps what the
confirmation said: the event's IANA time zone, its venue and its city. Bookings confirmed before
this revision get `UTC` (their events had no time zone yet) and no venue or city.

notification-service now words booking notices itself and refuses a `subject` or `body` for
them, so notices still waiting in the outbox keep only their facts. Downgrading drops the
columns but cannot give those notices their words back.

Revision ID: 20261130_0001
Revises: 20261125_0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "20261130_0001"
down_revision: str | None = "20261125_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOOKING_NOTICE_KINDS = ("booking_confirmed", "booking_cancelled")


def upgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_timezone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("event_venue", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("event_city", sa.String(length=100), nullable=True))
    bookings = sa.table(
        "bookings",
        sa.column("event_timezone", sa.String()),
        sa.column("event_starts_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        bookings.update()
        .where(bookings.c.event_starts_at.is_not(None))
        .values(event_timezone="UTC")
    )
    _keep_only_facts_in_pending_notices()


def _keep_only_facts_in_pending_notices() -> None:
    outbox = sa.table(
        "outbox_messages",
        sa.column("id", sa.Uuid()),
        sa.column("kind", sa.String()),
        sa.column("status", sa.String()),
        sa.column("payload", sa.JSON()),
    )
    connection = op.get_bind()
    pending = connection.execute(
        sa.select(outbox.c.id, outbox.c.payload).where(
            outbox.c.status == "pending", outbox.c.kind.in_(BOOKING_NOTICE_KINDS)
        )
    ).all()
    for message_id, payload in pending:
        facts: dict[str, Any] = {
            name: value for name, value in (payload.get("data") or {}).items() if value is not None
        }
        kept = {name: value for name, value in payload.items() if name not in ("subject", "body")}
        connection.execute(
            outbox.update().where(outbox.c.id == message_id).values(payload={**kept, "data": facts})
        )


def downgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("event_city")
        batch_op.drop_column("event_venue")
        batch_op.drop_column("event_timezone")
