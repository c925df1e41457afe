from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "partnering.sharing"
    label = "sharing"
    verbose_name = "Sharing"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the membership_changed receiver)
