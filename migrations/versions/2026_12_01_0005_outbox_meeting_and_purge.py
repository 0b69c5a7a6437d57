"""The outbox knows which meeting a message is about, and when its bodies were deleted.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_messages_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_sent_at'), ['sent_at'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_messages_meeting_id_meetings'),
            'meetings', ['meeting_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_meeting_id_meetings'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_sent_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_meeting_id'))
        batch_op.drop_column('purged_at')
        batch_op.drop_column('meeting_id')
