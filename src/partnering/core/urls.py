from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("about-the-data/", views.about_data_view, name="about-data"),
    path("accessibility/", views.information_view, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", views.information_view, {"page": "privacy"}, name="privacy"),
    path("cookies/", views.information_view, {"page": "cookies"}, name="cookies"),
    path("contact/", views.information_view, {"page": "contact"}, name="contact"),
    path("developers/", views.information_view, {"page": "developers"}, name="developers"),
    path("healthz", views.healthz_view, name="healthz"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("account/", views.account_view, name="account"),
    path("account/api-keys/<int:pk>/revoke/", views.api_key_revoke_view, name="api-key-revoke"),
]
