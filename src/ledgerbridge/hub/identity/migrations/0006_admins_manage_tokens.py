"""Give ``tokens.manage`` to the admins who had every right before it existed.

The admin preset is the whole catalogue, but a membership stores its list: admins (and
pending admin invitations) made before ``tokens.manage`` would otherwise lack it, and
none of their tokens could manage tokens any more. Tokens are left as they are: a token
gains no right it was not created with.
"""

from django.db import migrations

PERMISSION = "tokens.manage"


def grant(apps, schema_editor):
    for name in ("Membership", "Invitation"):
        model = apps.get_model("identity", name)
        for row in model.objects.filter(role="admin").only("pk", "permissions"):
            if "users.manage" in row.permissions and PERMISSION not in row.permissions:
                row.permissions = [*row.permissions, PERMISSION]
                row.save(update_fields=["permissions"])


def revoke(apps, schema_editor):
    for name in ("Membership", "Invitation"):
        model = apps.get_model("identity", name)
        for row in model.objects.filter(role="admin").only("pk", "permissions"):
            if PERMISSION in row.permissions:
                row.permissions = [p for p in row.permissions if p != PERMISSION]
                row.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("identity", "0005_regional_format")]  # noqa: RUF012  # Django's migration API

    operations = [  # noqa: RUF012  # Django's migration API
        migrations.RunPython(grant, revoke),
    ]
