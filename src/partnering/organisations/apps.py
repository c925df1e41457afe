from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "partnering.organisations"
    label = "organisations"
    verbose_name = "Organisations"
