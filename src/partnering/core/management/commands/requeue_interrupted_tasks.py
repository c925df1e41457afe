from django.core.management.base import BaseCommand

from partnering.core.services import interrupted_tasks_requeue


class Command(BaseCommand):
    help = (
        "Put back in the queue the tasks a task worker was running when it died; run it as the "
        "worker starts again, with the same --worker-id it gives db_worker."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--worker-id", required=True, help="the worker's stable id")

    def handle(self, *args: object, **options: object) -> None:
        count = interrupted_tasks_requeue(worker_id=str(options["worker_id"]))
        self.stdout.write(
            f"{count} interrupted task(s) of worker {options['worker_id']} put back in the queue"
        )
