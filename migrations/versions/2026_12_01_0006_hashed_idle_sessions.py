"""hashed session tokens and idle sessions

Sessions keep a sha256 of their token instead of the token (the cookie carries it), and when
they were last used. Existing sessions stay logged in: their token is hashed in place, and they
count as last used when they started. Going down cannot recover the tokens: every session ends.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:00:00.000000

"""
import hashlib

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))

    sessions = sa.table(
        'user_sessions',
        sa.column('id', sa.Integer),
        sa.column('token', sa.String),
        sa.column('token_hash', sa.String),
        sa.column('created_at', sa.DateTime(timezone=True)),
        sa.column('last_seen_at', sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(sessions.c.id, sessions.c.token)).all()
    for row_id, token in rows:
        connection.execute(
            sessions.update()
            .where(sessions.c.id == row_id)
            .values(token_hash=hashlib.sha256(token.encode()).hexdigest())
        )
    connection.execute(sessions.update().values(last_seen_at=sessions.c.created_at))

    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_sessions_token'), type_='unique')
        batch_op.drop_column('token')
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column(
            'last_seen_at', existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch_op.create_unique_constraint(batch_op.f('uq_user_sessions_token_hash'), ['token_hash'])


def downgrade():
    # A hash cannot be turned back into the token its cookie carries: end every session.
    op.execute(sa.text('DELETE FROM user_sessions'))
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_sessions_token_hash'), type_='unique')
        batch_op.drop_column('last_seen_at')
        batch_op.drop_column('token_hash')
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_user_sessions_token'), ['token'])
