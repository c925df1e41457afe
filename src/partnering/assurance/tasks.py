"""Background work of the assurance room (django-tasks; the database backend in production).

``manage.py send_assurance_reminders`` enqueues ``send_reminders`` (run it daily, e.g. from cron);
each reminder is sent once (the row records when)."""

from django_tasks import task


@task()
def send_reminders() -> str:
    from .services import reminders_send

    sent = reminders_send()
    return ", ".join(f"{k}: {v}" for k, v in sent.items())
