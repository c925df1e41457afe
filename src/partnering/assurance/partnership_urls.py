"""Pages under /partnerships/<slug>/assurance/ (mounted by the room kit; views take slug first)."""

from django.urls import path

from . import risk_views, views

app_name = "assurance"
urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("reviews/new/", views.review_create_view, name="review-create"),
    path("reviews/<int:pk>/", views.review_detail_view, name="review-detail"),
    path("reviews/<int:pk>/edit/", views.review_edit_view, name="review-edit"),
    path("reviews/<int:pk>/interviews/new/", views.interview_add_view, name="interview-add"),
    path("reviews/<int:pk>/documents/new/", views.document_add_view, name="document-add"),
    path("reviews/<int:pk>/findings/new/", views.finding_add_view, name="finding-add"),
    path(
        "reviews/<int:pk>/recommendations/new/",
        views.recommendation_add_view,
        name="recommendation-add",
    ),
    path("reviews/<int:pk>/finalise/", views.review_finalise_view, name="review-finalise"),
    path("reviews/<int:pk>/publish/", views.review_publish_view, name="review-publish"),
    path("reviews/<int:pk>/report/", views.review_report_view, name="review-report"),
    path("reviews/<int:pk>/report.pdf", views.review_pdf_view, name="review-pdf"),
    path(
        "recommendations/<int:pk>/",
        views.recommendation_update_view,
        name="recommendation-update",
    ),
    path(
        "recommendations/download.<str:fmt>",
        views.recommendation_download_view,
        name="recommendation-download",
    ),
    path("risks/", risk_views.register_view, name="risk-register"),
    path("risks/new/", risk_views.risk_create_view, name="risk-create"),
    path("risks/matrix/", risk_views.register_matrix_view, name="risk-register-matrix"),
    path("risks/download.<str:fmt>", risk_views.register_download_view, name="risk-download"),
    path("risks/<int:number>/", risk_views.risk_detail_view, name="risk-detail"),
    path("risks/<int:number>/edit/", risk_views.risk_edit_view, name="risk-edit"),
    path(
        "risks/<int:number>/actions/new/", risk_views.risk_action_add_view, name="risk-action-add"
    ),
    path(
        "risks/<int:number>/actions/<int:action_id>/status/",
        risk_views.risk_action_status_view,
        name="risk-action-status",
    ),
    path("risks/<int:number>/accept/", risk_views.risk_accept_view, name="risk-accept"),
    path("risks/<int:number>/escalate/", risk_views.risk_escalate_view, name="risk-escalate"),
]
