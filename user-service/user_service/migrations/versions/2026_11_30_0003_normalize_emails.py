"""Store every email in its one spelling: NFKC, then lower case.

Addresses were stored lower-cased only, so look-alike spellings (full-width letters, ligatures,
the Kelvin sign) could be two accounts. Each stored address becomes its normal form.

Two accounts whose addresses are the same once normalised cannot both keep it, and choosing
for their owners would take an account from someone: the upgrade then changes nothing and fails,
naming each such group of accounts. Merge or rename them (`UPDATE users SET email = ...`), then
upgrade again. The downgrade keeps the normal forms (the old spellings are not recorded, and
the normal forms are valid lower-case addresses).

Revision ID: 20261130_0003
Revises: 20261130_0002
Create Date: 2026-11-30
"""

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "20261130_0003"
down_revision: str | None = "20261130_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USERS = sa.table("users", sa.column("id", sa.Uuid()), sa.column("email", sa.String()))


class EmailCollisionError(RuntimeError):
    """Accounts whose addresses become one; nothing was changed."""


def _normal_form(email: str) -> str:
    # As `service_kit.fields.normalize_email` was when this revision was written.
    return unicodedata.normalize("NFKC", email).strip().lower()


def _collisions(groups: dict[str, list[Any]]) -> str:
    lines = []
    for normal, rows in sorted(groups.items()):
        accounts = ", ".join(f"{row.id} ({row.email!r})" for row in rows)
        lines.append(f"  {normal}: {accounts}")
    return "\n".join(lines)


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(USERS.c.id, USERS.c.email).order_by(USERS.c.id)).all()
    groups: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        groups[_normal_form(row.email)].append(row)
    colliding = {normal: rows for normal, rows in groups.items() if len(rows) > 1}
    if colliding:
        raise EmailCollisionError(
            f"{len(colliding)} email address(es) are shared by several accounts once "
            "normalised (NFKC, lower case). Nothing was changed: merge or rename these "
            "accounts, then upgrade again.\n" + _collisions(colliding)
        )
    for normal, (row,) in groups.items():
        if row.email != normal:
            connection.execute(sa.update(USERS).where(USERS.c.id == row.id).values(email=normal))


def downgrade() -> None:
    pass
