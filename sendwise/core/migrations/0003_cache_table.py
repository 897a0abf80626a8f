"""The database cache's table (settings.CACHES), created by `migrate` so that no deployment
forgets `createcachetable`. It does nothing when CACHE_URL names another kind of cache, or when
the table is already there."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_auditentry_refused")]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False),
    ]
