from django.urls import path

from . import call_views, views

app_name = "programme"

urlpatterns = [
    path("", views.call_list_view, name="call-list"),
    path("calls/new/", call_views.call_form_view, name="call-create"),
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
    path("advisers/<str:username>/edit/", views.adviser_edit_view, name="adviser-edit"),
    path("matching/", views.matching_view, name="matching"),
    path("matching/<int:number>/confirm/", views.matching_confirm_view, name="matching-confirm"),
    path("actions/", views.actions_view, name="actions"),
    path("actions/<int:pk>/complete/", views.action_complete_view, name="action-complete"),
    path("partnerships/<slug:slug>/advice/", views.advice_view, name="advice"),
    path(
        "partnerships/<slug:slug>/advisers/",
        views.partnership_advisers_view,
        name="partnership-advisers",
    ),
    path(
        "partnerships/<slug:slug>/mentoring-needs/",
        views.mentoring_needs_view,
        name="mentoring-needs",
    ),
]

urlpatterns += [
    path("modules/", views.module_list_view, name="module-list"),
    path("modules/progress/", views.training_progress_view, name="training-progress"),
    path("modules/new/", views.module_form_view, name="module-create"),
    path("modules/<slug:slug>/", views.module_detail_view, name="module-detail"),
    path("modules/<slug:slug>/enrol/", views.module_enrol_view, name="module-enrol"),
    path("modules/<slug:slug>/edit/", views.module_form_view, name="module-edit"),
    path("modules/<slug:slug>/cohorts/new/", views.cohort_form_view, name="cohort-create"),
    path("modules/<slug:slug>/cohorts/<int:pk>/edit/", views.cohort_form_view, name="cohort-edit"),
    path("enrolments/<int:pk>/complete/", views.enrolment_complete_view, name="enrolment-complete"),
    path("events/", views.event_list_view, name="event-list"),
    path("events.ics", views.events_ics_view, name="events-ics"),
    path("events/new/", views.event_form_view, name="event-create"),
    path("events/<slug:slug>/", views.event_detail_view, name="event-detail"),
    path("events/<slug:slug>/event.ics", views.event_ics_view, name="event-ics"),
    path("events/<slug:slug>/edit/", views.event_form_view, name="event-edit"),
    path("events/<slug:slug>/book/", views.event_book_view, name="event-book"),
    path("events/<slug:slug>/cancel/", views.event_cancel_view, name="event-cancel"),
    path(
        "events/<slug:slug>/bookings/<int:pk>/attendance/",
        views.attendance_view,
        name="event-attendance",
    ),
    path("peers/", views.peer_directory_view, name="peer-directory"),
    path("peers/offer/", views.peer_offer_view, name="peer-offer"),
    path(
        "partnerships/<slug:slug>/like-mine/",
        views.partnerships_like_view,
        name="partnerships-like",
    ),
]

urlpatterns += [
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("partnerships/<slug:slug>/sessions/", views.sessions_view, name="sessions"),
]

urlpatterns += [
    path("calls/<slug:slug>/edit/", call_views.call_form_view, name="call-edit"),
    path("calls/<slug:slug>/status/<str:move>/", call_views.call_status_view, name="call-status"),
    path(
        "applications/<str:reference>/edit/",
        call_views.application_edit_view,
        name="application-edit",
    ),
    path(
        "applications/<str:reference>/withdraw/",
        call_views.application_withdraw_view,
        name="application-withdraw",
    ),
    path(
        "applications/<str:reference>/tags/",
        call_views.application_tags_view,
        name="application-tags",
    ),
]
