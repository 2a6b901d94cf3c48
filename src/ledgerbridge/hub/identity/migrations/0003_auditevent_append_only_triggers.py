# Written by hand: database triggers that refuse UPDATE and DELETE on the audit table.

from django.db import migrations

from ledgerbridge.hub.identity import append_only


def install(apps, schema_editor):
    append_only.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    append_only.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0002_organizations_memberships_audit"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
