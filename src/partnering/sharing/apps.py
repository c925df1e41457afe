from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "partnering.sharing"
    label = "sharing"
    verbose_name = "Sharing"
