"""exams: each marked attempt's outcome packed for item analysis

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exam_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('exam_attempt', schema=None) as batch_op:
        batch_op.drop_column('outcome')
