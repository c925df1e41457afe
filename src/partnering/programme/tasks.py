"""Background work of the programme room (django-tasks; the database backend in production).

Schedule ``send_action_reminders`` daily and ``send_weekly_digests`` weekly (e.g. cron running
``manage.py shell -c`` to enqueue them, or any scheduler); both are safe to re-run."""

from django_tasks import task


@task()
def send_action_reminders() -> int:
    from .services import reminders_send

    return reminders_send()


@task()
def send_weekly_digests() -> int:
    from .services import digests_send

    return digests_send()
