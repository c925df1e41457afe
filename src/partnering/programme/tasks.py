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


@task()
def refresh_similar_partnerships(requested_at: str | None = None) -> int:
    """Work out every partnership's "Partnerships like this one" again (queued after a change;
    skipped when a later refresh has already run)."""
    from datetime import datetime

    from .services import similar_lists_refresh

    when = datetime.fromisoformat(requested_at) if requested_at else None
    return similar_lists_refresh(requested_at=when)
