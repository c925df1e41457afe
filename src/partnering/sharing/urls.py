"""Addresses from before the sharing pages moved under their partnership: redirect them."""

from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path(
        "<slug:slug>/<path:rest>",
        RedirectView.as_view(url="/partnerships/%(slug)s/sharing/%(rest)s", permanent=True),
    ),
    path(
        "<slug:slug>/",
        RedirectView.as_view(url="/partnerships/%(slug)s/sharing/", permanent=True),
    ),
]
