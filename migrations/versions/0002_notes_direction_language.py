"""notes and direction on versions, language on meetings

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('language', sa.String(length=35), server_default='', nullable=False)
        )
    with op.batch_alter_table('versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notes', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(
            sa.Column('direction', sa.String(length=3), server_default='ltr', nullable=False)
        )
        batch_op.create_check_constraint(
            op.f('ck_versions_direction'), "direction IN ('ltr', 'rtl')"
        )


def downgrade():
    with op.batch_alter_table('versions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_versions_direction'), type_='check')
        batch_op.drop_column('direction')
        batch_op.drop_column('notes')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('language')
