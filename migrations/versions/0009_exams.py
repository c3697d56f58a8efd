"""exams: exam rounds, question banks, attempts; competitions that approve entries automatically

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_approve', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='judged', nullable=False))
        batch_op.add_column(sa.Column('exam_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('exam_opens', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('exam_closes', sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column('exam_show_answers', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column('exam_attempts', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(
            sa.Column('exam_multiple_partial', sa.Numeric(precision=5, scale=4), server_default='0', nullable=False)
        )
        batch_op.add_column(sa.Column('exam_paper', sa.JSON(), nullable=True))
        batch_op.create_check_constraint('kind', "kind IN ('judged', 'exam')")
        batch_op.create_check_constraint(
            'exam',
            "kind = 'judged' OR (exam_minutes > 0 AND exam_closes > exam_opens AND exam_attempts >= 1)",
        )

    op.create_table(
        'question',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('type', sa.String(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('answer', sa.JSON(), nullable=False),
        sa.Column('tag', sa.String(length=50), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("type IN ('single', 'multiple', 'true_false')", name=op.f('ck_question_type')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_question_created_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_question_round_id_round'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_question')),
    )
    op.create_index('ix_question_round_position', 'question', ['round_id', 'position'], unique=False)

    op.create_table(
        'exam_attempt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('seed', sa.BigInteger(), nullable=False),
        sa.Column('paper', sa.JSON(), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('deadline', sa.DateTime(), nullable=False),
        sa.Column('saved_at', sa.DateTime(), nullable=True),
        sa.Column('submitted_at', sa.DateTime(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('closed_by', sa.String(length=10), nullable=True),
        sa.Column('score', sa.Numeric(precision=10, scale=4), nullable=True),
        sa.Column('max_score', sa.Numeric(precision=10, scale=4), nullable=False),
        sa.Column('right', sa.JSON(), nullable=True),
        sa.CheckConstraint("status IN ('in_progress', 'submitted')", name=op.f('ck_exam_attempt_status')),
        sa.CheckConstraint('number >= 1', name=op.f('ck_exam_attempt_number')),
        sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_exam_attempt_entry_id_entry'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_exam_attempt_round_id_round'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_exam_attempt_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_attempt')),
        sa.UniqueConstraint('round_id', 'entry_id', 'number', name=op.f('uq_exam_attempt_round_id_entry_id_number')),
    )
    op.create_index('ix_exam_attempt_round_status', 'exam_attempt', ['round_id', 'status'], unique=False)
    op.create_index(op.f('ix_exam_attempt_entry_id'), 'exam_attempt', ['entry_id'], unique=False)
    op.create_index(op.f('ix_exam_attempt_user_id'), 'exam_attempt', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_exam_attempt_user_id'), table_name='exam_attempt')
    op.drop_index(op.f('ix_exam_attempt_entry_id'), table_name='exam_attempt')
    op.drop_index('ix_exam_attempt_round_status', table_name='exam_attempt')
    op.drop_table('exam_attempt')
    op.drop_index('ix_question_round_position', table_name='question')
    op.drop_table('question')
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_constraint('exam', type_='check')
        batch_op.drop_constraint('kind', type_='check')
        for column in ('exam_paper', 'exam_multiple_partial', 'exam_attempts', 'exam_show_answers',
                       'exam_closes', 'exam_opens', 'exam_minutes', 'kind'):
            batch_op.drop_column(column)
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_column('auto_approve')
