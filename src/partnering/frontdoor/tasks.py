"""Background work of the front door (django-tasks; the database backend in production)."""

from django_tasks import task


@task()
def email_update(update_id: int) -> str:
    """Email the resident one update of their request: sent once, however often it is queued;
    a failed send raises, so the task is recorded FAILED (``resend_unsent_emails`` retries it)."""
    from .services import update_email_send

    return update_email_send(update_id=update_id)


@task()
def remove_expired_personal_data() -> int:
    """Remove residents' contact details from requests closed longer than the retention period."""
    from .services import personal_data_expire

    return personal_data_expire()


@task()
def resend_unsent_emails() -> dict[str, int]:
    """The sweep: queue again the update emails whose send failed or never finished (schedule it
    every 10 minutes, or run ``manage.py emails_resend``)."""
    from .services import emails_unsent_requeue

    return emails_unsent_requeue()
