"""The migrations describe the models, triggers included.

The audit triggers name each audited column (audit/triggers.py): a column added without
its migration would be left out of the audit trail, so a missing migration fails here.
"""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_or_trigger_change_is_missing_its_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations would write a migration ({exit_.code}):\n{out.getvalue()}")
