"""Pages of the assurance room: gateway reviews and their recommendations (thin: forms in,
services write, selectors read)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from partnering.core.errors import DomainError
from partnering.core.forms import add_domain_error
from partnering.partnerships.access import (
    partnership_for_editing,
    partnership_for_viewing,
    require_on,
)
from partnering.partnerships.models import Membership, Partnership

from . import selectors, services
from .forms import (
    DocumentForm,
    FindingForm,
    InterviewForm,
    RecommendationForm,
    RecommendationUpdateForm,
    ReviewCreateForm,
    ReviewEditForm,
)
from .gates import GATES, RATINGS, URGENCIES
from .models import Recommendation, Review
from .permissions import (
    can_create_review,
    can_edit_review,
    can_follow_up,
    can_publish_review,
    can_view_assurance,
    review_summaries_visible_to,
)

User = get_user_model()
REVIEW_DENIED = "Only the review team and taskforce staff can change this review."


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _review(request: HttpRequest, slug: str, pk: int) -> tuple[Partnership, Review]:
    """The review in full if the viewer may see it (404 otherwise)."""
    partnership = partnership_for_viewing(request.user, slug)
    if not can_view_assurance(request.user, partnership):
        raise Http404("No such review")
    try:
        return partnership, selectors.review_detail(pk, partnership)
    except Review.DoesNotExist:
        raise Http404("No such review") from None


def _editable_review(request: HttpRequest, slug: str, pk: int) -> tuple[Partnership, Review]:
    partnership, review = _review(request, slug, pk)
    require_on(partnership, can_edit_review(request.user, review), REVIEW_DENIED)
    return partnership, review


def owner_choices(partnership: Partnership) -> Any:
    """Who may own a recommendation: people of the partnership's current member organisations,
    its advisers and taskforce staff."""
    orgs = Membership.objects.filter(partnership=partnership, left_on__isnull=True)
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(organisations__in=orgs.values("organisation"))
            | Q(advised_partnerships=partnership)
            | Q(role="staff")
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@require_safe
def overview_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    full = can_view_assurance(request.user, partnership)
    reviews = (
        selectors.reviews_of(partnership, request.user)
        if full
        else selectors.published_reviews_of(partnership, request.user)
    )
    return render(
        request,
        "assurance/overview.html",
        {
            "partnership": partnership,
            "reviews": list(reviews),
            "full": full,
            "can_create": can_create_review(request.user, partnership),
            "gates": GATES,
        },
    )


@login_required
def review_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_editing(
        request.user, slug, allowed=can_create_review,
        message="Only taskforce staff can set up a gateway review.",
    )  # fmt: skip
    form = ReviewCreateForm(_posted(request), reviewers=services.reviewer_choices(partnership))
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(
                partnership=partnership, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{review.gate_info.label} review set up")
            return redirect(review)
    return render(request, "assurance/review_form.html", {"form": form, "partnership": partnership})


@require_safe
def review_detail_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    if not can_view_assurance(request.user, partnership):
        summary = review_summaries_visible_to(request.user).filter(partnership=partnership, pk=pk)
        review = summary.select_related("partnership").first()
        if review is None:
            raise Http404("No such review")
        return render(
            request, "assurance/review_summary.html", {"partnership": partnership, "review": review}
        )
    partnership, review = _review(request, slug, pk)
    return render(
        request,
        "assurance/review_detail.html",
        {
            "partnership": partnership,
            "review": review,
            "can_edit": can_edit_review(request.user, review),
            "can_publish": can_publish_review(request.user, review),
            "can_follow_up": can_follow_up(request.user, review),
            "ratings": RATINGS,
            "urgencies": URGENCIES,
        },
    )


@login_required
def review_edit_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, review = _editable_review(request, slug, pk)
    initial = {f: getattr(review, f) for f in services.REVIEW_FIELDS}
    form = ReviewEditForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_update(review=review, data=form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Review saved")
            return redirect(review)
    return render(
        request,
        "assurance/review_edit.html",
        {"form": form, "partnership": partnership, "review": review},
    )


ITEMS = {
    "interview": (
        InterviewForm,
        services.interview_add,
        "Record an interview",
        "Interview recorded",
    ),
    "document": (
        DocumentForm,
        services.document_add,
        "Record a document seen",
        "Document recorded",
    ),
    "finding": (FindingForm, services.finding_add, "Record a finding", "Finding recorded"),
}


def _item_view(kind: str) -> Any:
    form_class, service, title, done = ITEMS[kind]

    @login_required
    def view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        partnership, review = _editable_review(request, slug, pk)
        form = form_class(_posted(request))
        if request.method == "POST" and form.is_valid():
            try:
                service(review=review, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, done)
                return redirect(review)
        return render(
            request,
            "assurance/item_form.html",
            {"form": form, "partnership": partnership, "review": review, "title": title},
        )

    view.__name__ = f"{kind}_add_view"
    return view


interview_add_view = _item_view("interview")
document_add_view = _item_view("document")
finding_add_view = _item_view("finding")


@login_required
def recommendation_add_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, review = _editable_review(request, slug, pk)
    form = RecommendationForm(_posted(request), owners=owner_choices(partnership))
    if request.method == "POST" and form.is_valid():
        try:
            rec = services.recommendation_add(
                review=review, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Recommendation R{rec.number} added")
            return redirect(review)
    return render(
        request,
        "assurance/recommendation_form.html",
        {"form": form, "partnership": partnership, "review": review},
    )


@login_required
def recommendation_update_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    if not can_view_assurance(request.user, partnership):
        raise Http404("No such recommendation")
    rec = (
        Recommendation.objects.filter(review__partnership=partnership, pk=pk)
        .select_related("review__partnership", "owner")
        .first()
    )
    if rec is None:
        raise Http404("No such recommendation")
    require_on(
        partnership,
        can_follow_up(request.user, rec.review),
        "Only the partnership's editors and the review team can follow recommendations up.",
    )
    form = RecommendationUpdateForm(
        _posted(request),
        initial={"status": rec.status, "carried_forward_reason": rec.carried_forward_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_update(
                recommendation=rec, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Recommendation R{rec.number} updated")
            return redirect(rec.review)
    return render(
        request,
        "assurance/recommendation_update.html",
        {"form": form, "partnership": partnership, "review": rec.review, "rec": rec},
    )


@login_required
@require_POST
def review_finalise_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _partnership, review = _editable_review(request, slug, pk)
    try:
        services.review_finalise(review=review, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Review finalised")
    return redirect(review)


@login_required
@require_POST
def review_publish_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, review = _review(request, slug, pk)
    require_on(
        partnership,
        can_publish_review(request.user, review),
        "Only taskforce staff publish reviews.",
    )
    try:
        review = services.review_publish(
            review=review, publish=request.POST.get("publish") != "no", actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Summary published" if review.is_published else "Unpublished")
    return redirect(review)


@require_safe
def review_report_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, review = _review(request, slug, pk)
    return render(
        request,
        "assurance/report_page.html",
        {"partnership": partnership, "review": review, "ratings": RATINGS, "urgencies": URGENCIES},
    )


@require_safe
def review_pdf_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    from .report import report_pdf

    partnership, review = _review(request, slug, pk)
    response = HttpResponse(report_pdf(review), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{partnership.slug}-gate-{review.gate}-review-{review.pk}.pdf"'
    )
    return response


RECOMMENDATION_HEADER = ["Gate", "Review starts", "Number", "Recommendation", "Urgency", "Owner",
                         "Due", "Status", "Carried forward because"]  # fmt: skip


@require_safe
def recommendation_download_view(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    from partnering.core.exports import about_lines, csv_response, figures_words, xlsx_response

    partnership = partnership_for_viewing(request.user, slug)
    if not can_view_assurance(request.user, partnership) or fmt not in {"csv", "xlsx"}:
        raise Http404("No such download")
    recommendations = list(selectors.recommendations_of(partnership))
    rows = [
        [r.review.gate, r.review.starts_on, r.number, r.text, r.get_urgency_display(),
         r.owner.display_name, r.due_label, r.get_status_display(), r.carried_forward_reason]
        for r in recommendations
    ]  # fmt: skip
    name = f"{partnership.slug}-recommendations.{fmt}"
    about = about_lines(
        f"Strategic Partnering Platform: gateway review recommendations of {partnership.name}",
        figures_words(r.review.is_demo for r in recommendations),
        ("Partnership", partnership.name),
    )
    if fmt == "csv":
        return csv_response(name, RECOMMENDATION_HEADER, rows, about=about)
    return xlsx_response(name, "Recommendations", RECOMMENDATION_HEADER, rows, about=about)
