from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnering.core"
    label = "core"
    verbose_name = "Core"
