from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("", views.call_list_view, name="call-list"),
    path("calls/<slug:slug>/", views.call_detail_view, name="call-detail"),
    path("calls/<slug:slug>/apply/", views.application_create_view, name="application-create"),
    path("calls/<slug:slug>/selection/", views.selection_view, name="selection"),
    path(
        "calls/<slug:slug>/selection/<int:number>/confirm/",
        views.selection_confirm_view,
        name="selection-confirm",
    ),
    path("applications/<str:reference>/", views.application_detail_view, name="application-detail"),
    path(
        "applications/<str:reference>/submit/",
        views.application_submit_view,
        name="application-submit",
    ),
    path("applications/<str:reference>/assess/", views.assess_view, name="assess"),
    path("applications/<str:reference>/moderate/", views.moderate_view, name="moderate"),
    path("advisers/", views.adviser_list_view, name="adviser-list"),
    path("matching/", views.matching_view, name="matching"),
    path("matching/<int:number>/confirm/", views.matching_confirm_view, name="matching-confirm"),
    path("actions/", views.actions_view, name="actions"),
    path("partnerships/<slug:slug>/advice/", views.advice_view, name="advice"),
]
