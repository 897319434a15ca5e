# Client-led service indexes also carry the program (and an intake's source), so the daily
# import checks whether a service is already recorded from the index alone.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('snippets', '0010_client_fillfactor'),
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
            index=models.Index(fields=['client', 'start_date'], include=('program',), name='enrollment_client_start'),
        ),
        migrations.AddIndex(
            model_name='discharge',
            index=models.Index(fields=['client', 'discharge_date'], include=('program',), name='discharge_client_date'),
        ),
        migrations.AddIndex(
            model_name='intake',
            index=models.Index(fields=['client', 'intake_date'], include=('program', 'source_system'), name='intake_client_date'),
        ),
    ]
