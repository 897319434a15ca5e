"""Each program's recorded capacity becomes the latest (open-ended) entry of its capacity
history: ``capacity_current`` from ``capacity_effective_date`` (or "since the program
began" when that date was never set). Programs without a capacity get no entry.
Reversible: going back removes the history (the two program columns were never changed).
"""

from django.db import migrations


def capacity_history_from_current(apps, schema_editor):
    Program = apps.get_model("snippets", "Program")
    ProgramCapacity = apps.get_model("snippets", "ProgramCapacity")
    ProgramCapacity.objects.bulk_create(
        ProgramCapacity(
            program_id=program_id,
            capacity=capacity,
            effective_from=effective_from,
            effective_to=None,
            sort_order=0,
        )
        for program_id, capacity, effective_from in Program.objects.filter(
            capacity_current__isnull=False, capacity_history__isnull=True
        ).values_list("id", "capacity_current", "capacity_effective_date")
    )


def remove_capacity_history(apps, schema_editor):
    apps.get_model("snippets", "ProgramCapacity").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("snippets", "0018_program_capacity_history")]

    operations = [migrations.RunPython(capacity_history_from_current, remove_capacity_history)]
