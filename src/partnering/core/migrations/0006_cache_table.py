from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

CACHE_TABLE = "partnering_cache"


def create(apps, schema_editor):
    """The table of Django's database cache (what ``createcachetable`` makes), made by migrate so
    that no release can forget it: the production settings count rate limits in it."""
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0005_user_organisations_moved")]

    operations = [migrations.RunPython(create, drop)]
