"""withheld mail: a message the send-time check stopped (its recipient left, a newer version
replaced the notes it carried, its reply was hidden) is never sent and never retried

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withheld_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('withheld_reason', sa.String(length=200), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('withheld_reason')
        batch_op.drop_column('withheld_at')
