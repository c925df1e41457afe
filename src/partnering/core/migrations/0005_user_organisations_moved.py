from django.db import migrations


class Migration(migrations.Migration):
    """``User.organisations`` is now declared by the organisations room as ``Organisation.people``
    (organisations 0003), on the same table: a change of state only, no data moves."""

    dependencies = [("core", "0004_idempotency_key")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="user", name="organisations")],
        )
    ]
