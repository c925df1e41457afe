from django.urls import path

from . import views

app_name = "frontdoor"

urlpatterns = [
    path("", views.start, name="start"),
    path("<slug:slug>/report/<int:lgsl_code>/", views.report, name="report"),
    path("track/", views.track_find, name="track-find"),
    path("track/<str:reference>/", views.track, name="track"),
    path("track/<str:reference>/photo.jpg", views.photo, name="photo"),
    path("queue/<slug:slug>/", views.queue, name="queue"),
    path("queue/<slug:slug>/requests.csv", views.queue_csv, name="queue-csv"),
    path("manage/<str:reference>/", views.manage, name="manage"),
]
