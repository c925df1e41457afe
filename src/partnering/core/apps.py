from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnering.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_started

        user_logged_in.connect(session_started, dispatch_uid="core.session_started")
