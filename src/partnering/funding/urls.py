"""Pages under /funding/ (the API is api.py)."""

from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("programmes/new/", views.programme_create_view, name="programme-create"),
    path("programmes/<slug:slug>/", views.programme_detail_view, name="programme-detail"),
    path("programmes/<slug:slug>/edit/", views.programme_edit_view, name="programme-edit"),
    path("programmes/<slug:slug>/rounds/new/", views.round_create_view, name="round-create"),
    path("rounds/<slug:slug>/", views.round_detail_view, name="round-detail"),
    path("rounds/<slug:slug>/status/", views.round_status_view, name="round-status"),
    path("rounds/<slug:slug>/panel/", views.round_panel_view, name="round-panel"),
    path("finance-officers/", views.finance_officers_view, name="finance-officers"),
    path(
        "finance-officers/<str:username>/remove/",
        views.finance_officer_remove_view,
        name="finance-officer-remove",
    ),
    path("rounds/<slug:slug>/apply/", views.application_create_view, name="application-create"),
    path("applications/", views.application_list_view, name="application-list"),
    path("applications/<str:reference>/", views.application_detail_view, name="application-detail"),
    path(
        "applications/<str:reference>/budget/", views.budget_line_add_view, name="budget-line-add"
    ),
    path(
        "applications/<str:reference>/milestones/", views.milestone_add_view, name="milestone-add"
    ),
    path("applications/<str:reference>/services/", views.service_add_view, name="service-add"),
    path(
        "applications/<str:reference>/submit/",
        views.application_submit_view,
        name="application-submit",
    ),
    path("applications/<str:reference>/assess/", views.assess_view, name="assess"),
    path("applications/<str:reference>/moderate/", views.moderate_view, name="moderate"),
    path("applications/<str:reference>/decide/", views.decide_view, name="decide"),
    path("awards/", views.award_list_view, name="awards"),
    path("awards/<int:pk>/", views.award_detail_view, name="award-detail"),
    path("awards/<int:pk>/claims/new/", views.claim_create_view, name="claim-create"),
    path("awards/<int:pk>/vary/", views.variation_create_view, name="variation-create"),
    path("awards/<int:pk>/recover/", views.recovery_create_view, name="recovery-create"),
    path("claims/", views.claim_list_view, name="claim-list"),
    path("claims/<int:pk>/", views.claim_detail_view, name="claim-detail"),
    path("claims/<int:pk>/approve/", views.claim_approve_view, name="claim-approve"),
    path("claims/<int:pk>/reject/", views.claim_reject_view, name="claim-reject"),
    path("claims/<int:pk>/pay/", views.payment_record_view, name="payment-record"),
    path("evidence/<int:pk>/", views.evidence_download_view, name="evidence-download"),
    path("money/", views.money_view, name="money"),
    path("money/download.<str:fmt>", views.money_download_view, name="money-download"),
    path("e-enablement/", views.e_enablement_view, name="e-enablement"),
    path("e-enablement/import/", views.e_enablement_import_view, name="e-enablement-import"),
    path(
        "e-enablement/councils/<slug:slug>/",
        views.council_e_enablement_view,
        name="council-e-enablement",
    ),
    path(
        "e-enablement/partnerships/<slug:slug>/",
        views.partnership_e_enablement_view,
        name="partnership-e-enablement",
    ),
    path("360giving/", views.open_data_view, name="open-data"),
    path("360giving/grants.json", views.grants_json_view, name="grants-json"),
    path("360giving/grants.<str:fmt>", views.grants_flat_view, name="grants-flat"),
]
