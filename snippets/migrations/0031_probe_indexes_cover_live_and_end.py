# The client-led service indexes also carry "live" (and an enrollment's end date), so the
# need-to-know probe of a large scope (access/selectors.py, ProbedExists) is answered from
# the index alone (docs/need-to-know.md). Each is rebuilt: on the city registry ~15 s apiece
# on a shared machine, the table locked for writes meanwhile.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('snippets', '0030_client_name_key_dob_blocks'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='clientprogramenrollment',
            name='enrollment_client_start',
        ),
        migrations.RemoveIndex(
            model_name='discharge',
            name='discharge_client_date',
        ),
        migrations.RemoveIndex(
            model_name='intake',
            name='intake_client_date',
        ),
        migrations.AddIndex(
            model_name='clientprogramenrollment',
            index=models.Index(fields=['client', 'start_date'], include=('program', 'end_date', 'live'), name='enrollment_client_start'),
        ),
        migrations.AddIndex(
            model_name='discharge',
            index=models.Index(fields=['client', 'discharge_date'], include=('program', 'live'), name='discharge_client_date'),
        ),
        migrations.AddIndex(
            model_name='intake',
            index=models.Index(fields=['client', 'intake_date'], include=('program', 'source_system', 'live'), name='intake_client_date'),
        ),
    ]
