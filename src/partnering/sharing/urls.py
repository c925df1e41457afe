from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [
    path("<slug:slug>/", views.overview_view, name="overview"),
    path("<slug:slug>/new/", views.cost_model_create_view, name="cost-model-create"),
    path("<slug:slug>/agreements/", views.agreement_list_view, name="agreement-list"),
    path(
        "<slug:slug>/agreements/download.<str:fmt>",
        views.agreement_download_view,
        name="agreement-download",
    ),
    path("<slug:slug>/v<int:version>/", views.shares_view, name="shares"),
    path("<slug:slug>/v<int:version>/edit/", views.cost_model_edit_view, name="cost-model-edit"),
    path("<slug:slug>/v<int:version>/figures/", views.figures_edit_view, name="figures-edit"),
    path("<slug:slug>/v<int:version>/calculate/", views.calculate_view, name="calculate"),
    path("<slug:slug>/v<int:version>/agree/", views.agreement_create_view, name="agreement-create"),
    path("<slug:slug>/v<int:version>/compare/", views.compare_view, name="compare"),
    path("<slug:slug>/v<int:version>/risk/", views.risk_view, name="risk"),
    path("<slug:slug>/v<int:version>/history/", views.history_view, name="history"),
    path(
        "<slug:slug>/v<int:version>/download/<str:table>.<str:fmt>",
        views.download_view,
        name="download",
    ),
]
