from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("new/", views.cost_model_create_view, name="cost-model-create"),
    path("agreements/", views.agreement_list_view, name="agreement-list"),
    path(
        "agreements/download.<str:fmt>",
        views.agreement_download_view,
        name="agreement-download",
    ),
    path("v<int:version>/", views.shares_view, name="shares"),
    path("v<int:version>/edit/", views.cost_model_edit_view, name="cost-model-edit"),
    path("v<int:version>/figures/", views.figures_edit_view, name="figures-edit"),
    path("v<int:version>/calculate/", views.calculate_view, name="calculate"),
    path("v<int:version>/agree/", views.agreement_create_view, name="agreement-create"),
    path("v<int:version>/compare/", views.compare_view, name="compare"),
    path("v<int:version>/risk/", views.risk_view, name="risk"),
    path("v<int:version>/history/", views.history_view, name="history"),
    path(
        "v<int:version>/download/<str:table>.<str:fmt>",
        views.download_view,
        name="download",
    ),
]
