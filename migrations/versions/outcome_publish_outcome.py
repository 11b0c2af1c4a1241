"""the outcome of a consultation: when the secretariat published it

Revision ID: outcome
Revises: 0003
Create Date: 2026-12-04 16:05:00

Existing consultations start unpublished: stakeholders see "under consideration" until the
secretariat publishes their outcome.
"""
from alembic import op
import sqlalchemy as sa
import redline.models.types


# revision identifiers, used by Alembic.
revision = 'outcome'
down_revision = 'history'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'outcome_published_at',
                redline.models.types.UTCDateTime(timezone=True),
                nullable=True,
            )
        )


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_column('outcome_published_at')
