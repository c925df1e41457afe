"""Pages under /assurance/ that belong to no one partnership: the programme view, matrices."""

from django.urls import path

from . import risk_views

app_name = "assurance_programme"
urlpatterns = [
    path("programme/risks/", risk_views.programme_risks_view, name="programme-risks"),
    path("matrices/", risk_views.matrix_list_view, name="matrix-list"),
    path("matrices/new/", risk_views.matrix_create_view, name="matrix-create"),
]
