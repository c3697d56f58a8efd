"""audit log: indexes for reading it newest first by action or university, and one object's history

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # (action, at) and (university_id, at) replace the single-column indexes they begin with; one object's
    # history is led by its id (led by the type, it would also serve "object_type = x" alone, and the planners
    # would read the log's name filters through it, slower than a scan).
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_action')
        batch_op.drop_index('ix_audit_log_university_id')
        batch_op.create_index('ix_audit_log_action_at', ['action', 'at'], unique=False)
        batch_op.create_index('ix_audit_log_university_at', ['university_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_log_object', ['object_id', 'object_type'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_object')
        batch_op.drop_index('ix_audit_log_university_at')
        batch_op.drop_index('ix_audit_log_action_at')
        batch_op.create_index('ix_audit_log_university_id', ['university_id'], unique=False)
        batch_op.create_index('ix_audit_log_action', ['action'], unique=False)
