import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST, require_safe

from .errors import DomainError
from .forms import ApiKeyForm, SignInForm, add_domain_error
from .middleware import is_api, is_outage, unavailable_response
from .models import ApiKey
from .rooms import home_panels_for
from .services import api_key_create, api_key_revoke


@require_safe
def home_view(request: HttpRequest) -> HttpResponse:
    """Each room's panels (core.rooms), for what the viewer may see, in a fixed number of queries."""
    return render(request, "core/home.html", {"panels": home_panels_for(request)})


@require_safe
def about_data_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about_data.html")


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    extra_context = {
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT_SECONDS // 60,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
    }


class SignOutView(auth_views.LogoutView):
    pass


NEW_KEY_SESSION = "core.new_api_key"


@login_required
def account_view(request: HttpRequest) -> HttpResponse:
    """Account and API keys. A new key is shown once, after a redirect (Post/Redirect/Get), so
    reloading the page neither creates a second key nor shows the secret again."""
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key, raw = api_key_create(name=form.cleaned_data["name"], actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            request.session[NEW_KEY_SESSION] = raw
            messages.success(
                request, f"API key ‘{key.name}’ created. Copy it now: it will not be shown again."
            )
            return redirect("core:account")
    new_key = request.session.pop(NEW_KEY_SESSION, None) if request.method == "GET" else None
    keys = ApiKey.objects.filter(user=request.user)
    return render(request, "core/account.html", {"form": form, "keys": keys, "new_key": new_key})


@login_required
@require_POST
def api_key_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk, user=request.user)  # another user's key is a 404
    api_key_revoke(key=key, actor=request.user)
    messages.success(request, f"API key ‘{key.name}’ revoked.")
    return redirect("core:account")


@require_GET
def healthz_view(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the app can reach its database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _api_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def error_403_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return _api_error(403, str(exception or "") or "You do not have permission to do that.")
    return render(request, "403.html", {"message": str(exception or "")}, status=403)


def error_404_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return _api_error(404, "Not found: see /api/docs for the endpoints")
    return render(request, "404.html", status=404)


def error_500_view(request: HttpRequest) -> HttpResponse:
    if is_outage(sys.exc_info()[1]):
        return unavailable_response(request)
    if is_api(request):
        return _api_error(500, "Sorry, there is a problem with the service. Nothing was saved.")
    return render(request, "500.html", status=500)


def csrf_failure_view(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: a GOV.UK page (or JSON for the API), not Django's yellow one."""
    if is_api(request):
        return _api_error(
            403, "CSRF check failed: send an API key, or the CSRF token with a session"
        )
    return render(request, "403_csrf.html", status=403)


# --- pages a public body publishes -----------------------------------------------------------

INFORMATION_PAGES = {
    "accessibility": "core/accessibility.html",
    "privacy": "core/privacy.html",
    "cookies": "core/cookies.html",
    "contact": "core/contact.html",
    "developers": "core/developers.html",
}


@require_safe
def information_view(request: HttpRequest, page: str) -> HttpResponse:
    context = {
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT_SECONDS // 60,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "contact_email": settings.CONTACT_EMAIL,
    }
    return render(request, INFORMATION_PAGES[page], context)
