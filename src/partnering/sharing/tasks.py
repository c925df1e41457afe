"""Background work of the sharing room (django-tasks; the database backend in production)."""

from django_tasks import task

from .models import ShareCalculation


@task()
def calculate_shares(calculation_id: int) -> str:
    """Run a queued share calculation (large partnerships); its status is on the row."""
    from .services import calculation_run

    if not ShareCalculation.objects.filter(pk=calculation_id).exists():
        return "gone"
    return calculation_run(calculation_id=calculation_id).status
