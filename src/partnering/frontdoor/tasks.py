"""Background work of the front door (django-tasks; the database backend in production)."""

from django_tasks import task


@task()
def email_update(update_id: int) -> str:
    """Email the resident one update of their request: sent once, however often it is queued."""
    from .services import update_email_send

    return update_email_send(update_id=update_id)


@task()
def remove_expired_personal_data() -> int:
    """Remove residents' contact details from requests closed longer than the retention period."""
    from .services import personal_data_expire

    return personal_data_expire()
