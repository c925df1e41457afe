from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.library_home_view, name="home"),
    path("search/", views.search_view, name="search"),
    path("browse/<slug:kind>/", views.browse_kind_view, name="browse-kind"),
    path("audiences/<slug:audience>/", views.browse_audience_view, name="browse-audience"),
    path("service-areas/<int:lgsl>/", views.browse_service_area_view, name="browse-service-area"),
    path("feed/", views.feed_view, name="feed"),
    path("editor/", views.editor_queue_view, name="editor-queue"),
    path("editor/new/", views.document_create_view, name="document-create"),
    path("editor/case-studies/new/", views.case_study_create_view, name="case-study-create"),
    path("editor/training/import/", views.training_import_view, name="training-import"),
    path("documents/<slug:slug>/", views.document_detail_view, name="document-detail"),
    path("documents/<slug:slug>/edit/", views.document_edit_view, name="document-edit"),
    path("documents/<slug:slug>/submit/", views.document_submit_view, name="document-submit"),
    path("documents/<slug:slug>/review/", views.document_review_view, name="document-review"),
    path("documents/<slug:slug>/return/", views.document_return_view, name="document-return"),
    path("documents/<slug:slug>/withdraw/", views.document_withdraw_view, name="document-withdraw"),
    path(
        "documents/<slug:slug>/partner-approval/",
        views.partner_approve_view,
        name="case-study-approve",
    ),
    path(
        "documents/<slug:slug>/attachments/new/",
        views.attachment_create_view,
        name="attachment-create",
    ),
    path(
        "documents/<slug:slug>/attachments/<int:pk>/",
        views.attachment_download_view,
        name="attachment-download",
    ),
    path("documents/<slug:slug>/versions/", views.version_list_view, name="version-list"),
    path(
        "documents/<slug:slug>/versions/<int:old>/<int:new>/",
        views.version_diff_view,
        name="version-diff",
    ),
]
