"""the outbox: e-mails written in the transaction that caused them, sent afterwards

Revision ID: outbox
Revises: 0003
Create Date: 2026-12-04 16:10:00
"""
from alembic import op
import sqlalchemy as sa
import redline.models.types


# revision identifiers, used by Alembic.
revision = 'outbox'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_user_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=True),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('message_id', sa.String(length=300), nullable=False),
    sa.Column('created_at', redline.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', redline.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', redline.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempt_started_at', redline.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.CheckConstraint("kind IN ('invitation', 'password_reset', 'notification', 'digest')", name=op.f('ck_outbox_kind')),
    sa.ForeignKeyConstraint(['to_user_id'], ['users.id'], name=op.f('fk_outbox_to_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_key')),
    sa.UniqueConstraint('message_id', name=op.f('uq_outbox_message_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['sent_at', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_to_user_id'), ['to_user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_to_user_id'))
        batch_op.drop_index('ix_outbox_due')

    op.drop_table('outbox')
