"""passage history cache: which version wrote each word of a version, per chain of versions

Revision ID: history
Revises: 0003
Create Date: 2026-12-04 16:20:00
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "history"
down_revision = "outbox"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "passage_history_cache",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("chain", sa.String(length=64), nullable=False),
        sa.Column("runs", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["versions.id"],
            name=op.f("fk_passage_history_cache_version_id_versions"),
        ),
        sa.PrimaryKeyConstraint("version_id", "chain", name=op.f("pk_passage_history_cache")),
    )


def downgrade():
    op.drop_table("passage_history_cache")
