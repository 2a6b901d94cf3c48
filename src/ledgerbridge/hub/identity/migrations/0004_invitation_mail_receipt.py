"""The invitation's mail receipt: which link (``sent_count``) was mailed, and when."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("identity", "0003_auditevent_append_only_triggers")]  # noqa: RUF012  # Django's migration API

    operations = [  # noqa: RUF012  # Django's migration API
        migrations.AddField(
            model_name="invitation",
            name="mailed_count",
            field=models.PositiveIntegerField(default=0, verbose_name="link mailed"),
        ),
        migrations.AddField(
            model_name="invitation",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="mailed"),
        ),
    ]
