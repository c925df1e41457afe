from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnering.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"
