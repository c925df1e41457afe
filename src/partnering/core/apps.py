from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnering.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django_tasks.signals import task_finished, task_started

        from .audit import cache_history_managers
        from .middleware import session_started
        from .services import task_attempt_finished, task_attempt_started

        cache_history_managers()

        user_logged_in.connect(session_started, dispatch_uid="core.session_started")
        task_started.connect(task_attempt_started, dispatch_uid="core.task_attempt_started")
        task_finished.connect(task_attempt_finished, dispatch_uid="core.task_attempt_finished")
