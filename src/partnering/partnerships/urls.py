from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("", views.partnership_list_view, name="partnership-list"),
    path("download.csv", views.partnership_csv_view, name="partnership-csv"),
    path("new/", views.partnership_create_view, name="partnership-create"),
    path("<slug:slug>/", views.partnership_detail_view, name="partnership-detail"),
    path("<slug:slug>/edit/", views.partnership_update_view, name="partnership-update"),
    path("<slug:slug>/history/", views.partnership_history_view, name="partnership-history"),
    path("<slug:slug>/members/add/", views.membership_add_view, name="membership-add"),
    path("<slug:slug>/members/<int:pk>/end/", views.membership_end_view, name="membership-end"),
    path("<slug:slug>/members/<int:pk>/role/", views.membership_role_view, name="membership-role"),
    path("<slug:slug>/stage/", views.stage_move_view, name="stage-move"),
    path("<slug:slug>/fit/", views.fit_view, name="fit"),
    path("<slug:slug>/aims/add/", views.aim_create_view, name="aim-create"),
    path("<slug:slug>/aims/<int:pk>/edit/", views.aim_update_view, name="aim-update"),
    path("<slug:slug>/aims/<int:pk>/scores/", views.aim_score_view, name="aim-score"),
    path(
        "<slug:slug>/priorities/<slug:org_slug>/add/",
        views.priority_create_view,
        name="priority-create",
    ),
    path(
        "<slug:slug>/priorities/<int:pk>/edit/", views.priority_update_view, name="priority-update"
    ),
]
