"""Two covering indexes for the import's blocks on one name's key and the birthday (a typo
in the other name and a wrong digit of the birthday together, identity/linkage/sql.py)."""

from django.db import migrations, models
from django.db.models.functions import Left

import snippets.models.sql


class Migration(migrations.Migration):
    dependencies = [("snippets", "0029_enrollment_open_span_includes_end_date")]

    operations = [
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                snippets.models.sql.NameKey("first_name"),
                Left(snippets.models.sql.NameKey("last_name"), 1),
                models.F("dob"),
                include=("id", "live", "first_name", "last_name"),
                name="client_first_key_dob",
            ),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                snippets.models.sql.NameKey("last_name"),
                Left(snippets.models.sql.NameKey("first_name"), 1),
                models.F("dob"),
                include=("id", "live", "first_name", "last_name"),
                name="client_last_key_dob",
            ),
        ),
    ]
