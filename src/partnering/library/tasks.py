"""Background work of the library room (django-tasks; the database backend in production).

Approving a document for a future time enqueues ``publish_scheduled`` to run then; the same
task, run by ``manage.py publish_scheduled_documents`` (e.g. every five minutes from cron), is
the sweep that catches anything a worker missed. Publishing is idempotent: a document is
published once, whichever run gets there first."""

from django_tasks import task


@task()
def publish_scheduled() -> str:
    from .services import documents_publish_due

    published = documents_publish_due()
    return f"{len(published)} published"
