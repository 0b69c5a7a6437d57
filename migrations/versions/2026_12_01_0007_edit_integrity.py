"""edit integrity: meeting details versions, what the last import set, publication fingerprints

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('imported_fields', sa.JSON(), nullable=True))

    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fingerprint', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_column('fingerprint')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('imported_fields')
        batch_op.drop_column('details_version')
