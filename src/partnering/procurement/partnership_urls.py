"""Pages under /partnerships/<slug>/procurement/ (mounted by the room kit; views take slug first)."""

from django.urls import path

from . import views

app_name = "procurement"
P = "procurements/<int:pk>/"
urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("scope/", views.scope_view, name="scope"),
    path("scope/edit/", views.scope_edit_view, name="scope-edit"),
    path("scope/baselines/new/", views.baseline_add_view, name="baseline-add"),
    path("scope/constraints/new/", views.constraint_add_view, name="constraint-add"),
    path("appraisals/new/", views.appraisal_create_view, name="appraisal-create"),
    path("appraisals/<int:pk>/", views.appraisal_detail_view, name="appraisal-detail"),
    path("appraisals/<int:pk>/criteria/", views.criteria_edit_view, name="criteria-edit"),
    path("appraisals/<int:pk>/options/new/", views.option_add_view, name="option-add"),
    path("appraisals/<int:pk>/options/<int:option_pk>/scores/", views.option_score_view,
         name="option-score"),
    path("appraisals/<int:pk>/agree/", views.appraisal_agree_view, name="appraisal-agree"),
    path("procurements/new/", views.procurement_create_view, name="procurement-create"),
    path(P, views.procurement_detail_view, name="procurement-detail"),
    path(P + "stages/new/", views.stage_record_view, name="stage-record"),
    path(P + "bidders/new/", views.bidder_add_view, name="bidder-add"),
    path(P + "evaluation/", views.evaluation_view, name="evaluation"),
    path(P + "evaluation/criteria/", views.evaluation_criteria_view, name="evaluation-criteria"),
    path(P + "award/", views.award_record_view, name="award-record"),
    path(P + "contract/", views.contract_sign_view, name="contract-sign"),
    path(P + "contract/changes/new/", views.contract_change_view, name="contract-change"),
    path(P + "arrangements/", views.arrangement_view, name="arrangement"),
    path(P + "arrangements/edit/", views.arrangement_edit_view, name="arrangement-edit"),
    path(P + "arrangements/board/new/", views.board_member_add_view, name="board-member-add"),
    path(P + "arrangements/indicators/new/", views.kpi_add_view, name="kpi-add"),
    path(P + "arrangements/values/new/", views.kpi_value_add_view, name="kpi-value-add"),
]  # fmt: skip
