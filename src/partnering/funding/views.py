"""Pages of the funding room: thin (form -> permission -> service or selector -> template)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from partnering.core.errors import DomainError
from partnering.core.exports import about_lines, csv_response, figures_words, xlsx_response
from partnering.core.forms import add_domain_error
from partnering.core.paging import paginate
from partnering.core.permissions import require
from partnering.organisations.importer import ImportFileError
from partnering.organisations.models import COUNCIL_KINDS, Organisation
from partnering.partnerships.access import partnership_for_viewing, require_on
from partnering.partnerships.permissions import partnerships_editable_by

from . import open_data, selectors, services
from .forms import (
    ApplicationForm,
    AssessmentForm,
    BudgetLineForm,
    ClaimForm,
    DecisionForm,
    FinanceOfficerForm,
    ImportForm,
    MilestoneForm,
    ModerationForm,
    PanelForm,
    PaymentForm,
    ProgrammeForm,
    PromisedServiceForm,
    ReasonForm,
    RecoveryForm,
    RoundForm,
    RoundStatusForm,
    VariationForm,
)
from .models import (
    ROUND_MOVES,
    Application,
    ApplicationStatus,
    Claim,
    ClaimStatus,
    Evidence,
    FundingProgramme,
    Round,
    RoundStatus,
)
from .permissions import (
    can_apply,
    can_approve_claim,
    can_assess,
    can_claim,
    can_decide,
    can_edit_application,
    can_manage_award,
    can_manage_e_enablement,
    can_manage_rounds,
    can_moderate,
    can_record_payment,
    can_see_all_scores,
    is_finance,
    rounds_visible_to,
)


def _posted(request: HttpRequest) -> Any:
    """The form's data on a POST (even an empty one: a bound form, so its errors show)."""
    return request.POST if request.method == "POST" else None


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def home_view(request: HttpRequest) -> HttpResponse:
    programme = selectors.programme_current()
    if programme is None:
        return render(
            request,
            "funding/home.html",
            {"programme": None, "can_manage": can_manage_rounds(request.user)},
        )
    return redirect(programme)


def programme_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(FundingProgramme, slug=slug)
    return render(
        request,
        "funding/programme_detail.html",
        {
            "programme": programme,
            "rounds": selectors.round_list(viewer=request.user, programme=programme),
            "money": selectors.money_view(programme=programme),
            "can_manage": can_manage_rounds(request.user),
            "waiting": selectors.claims_waiting(viewer=request.user)
            if is_finance(request.user)
            else None,
        },
    )


def _saved(request: HttpRequest, form: Any, save: Any) -> bool:
    """On a POST of a valid form, ``save(cleaned_data)`` (a service call giving the success
    message): True when it saved, False when there was nothing to save or the service refused
    (its error is then on the form, for the page to show)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        done = save(form.cleaned_data)
    except DomainError as error:
        add_domain_error(form, error)
        return False
    messages.success(request, done)
    return True


def _form_page(request: HttpRequest, form: Any, title: str, button: str, **extra: Any) -> Any:
    return render(
        request, "funding/form.html", {"form": form, "title": title, "button": button, **extra}
    )


def _programme_page(
    request: HttpRequest, programme: FundingProgramme | None, initial: dict[str, Any]
) -> HttpResponse:
    require(can_manage_rounds(request.user), "Only taskforce staff set up funding programmes")
    form = ProgrammeForm(_posted(request), initial=initial)
    saved: list[FundingProgramme] = []

    def save(data: dict[str, Any]) -> str:
        if programme is None:
            saved.append(services.programme_create(**data, actor=request.user))
            return f"{saved[0].title} set up"
        saved.append(services.programme_update(programme=programme, data=data, actor=request.user))
        return f"{saved[0].title}: changes saved"

    if _saved(request, form, save):
        return redirect(saved[0])
    if programme is None:
        return _form_page(request, form, "Set up a funding programme", "Set up programme")
    return _form_page(request, form, f"Change {programme.title}", "Save changes")


@login_required
def programme_create_view(request: HttpRequest) -> HttpResponse:
    return _programme_page(request, None, {})


@login_required
def programme_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(FundingProgramme, slug=slug)
    initial = {f: getattr(programme, f) for f in services.PROGRAMME_FIELDS}
    return _programme_page(request, programme, initial)


@login_required
def round_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(FundingProgramme, slug=slug)
    require(can_manage_rounds(request.user), "Only taskforce staff can add rounds")
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            round_ = services.round_create(
                programme=programme,
                title=d["title"],
                summary=d["summary"],
                budget=d["budget"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                decisions_by=d["decisions_by"],
                min_councils=d["min_councils"],
                status=d["status"],
                criteria=[services.CriterionSpec(t, w) for t, w in d["criteria"]],
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{round_.title} added")
            return redirect(round_)
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": f"Add a round to {programme.title}",
            "programme": programme,
            "button": "Add round",
        },
    )


def _managed_round(request: HttpRequest, slug: str) -> Round:
    round_ = get_object_or_404(
        rounds_visible_to(request.user).select_related("programme"), slug=slug
    )
    require(can_manage_rounds(request.user), "Only taskforce staff run rounds")
    return round_


@login_required
def round_status_view(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = _managed_round(request, slug)
    moves = [(s, RoundStatus(s).label) for s in ROUND_MOVES[round_.status]]
    title = f"Move {round_.title} on"
    if not moves:  # decided: nothing to choose
        return render(
            request,
            "funding/form.html",
            {"form": None, "title": title, "round": round_,
             "intro": f"{round_.title} is decided: that is final."},
        )  # fmt: skip
    words = services.STATUS_WORDS
    problem = f"{round_.title} is {words[RoundStatus(round_.status)][0]}: it can only be " + (
        " or ".join(words[RoundStatus(s)][1] for s, _ in moves)
    )
    form = RoundStatusForm(_posted(request), moves=moves, problem=problem)

    def save(data: dict[str, Any]) -> str:
        services.round_set_status(round_=round_, status=data["status"], actor=request.user)
        return f"{round_.title}: {RoundStatus(data['status']).label.lower()}"

    if _saved(request, form, save):
        return redirect(round_)
    intro = (
        f"It is {round_.get_status_display().lower()} now. A round goes from draft to open, from "
        "open to closed, and from closed to decided once every application has been decided "
        "(or back to open)."
    )
    return _form_page(request, form, title, "Save", round=round_, intro=intro)


@login_required
def round_panel_view(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = _managed_round(request, slug)
    form = PanelForm(
        _posted(request),
        people=services.assessor_choices(),
        initial={"assessors": list(round_.assessors.values_list("pk", flat=True))},
    )

    def save(data: dict[str, Any]) -> str:
        services.round_assessors_set(round_=round_, assessors=data["assessors"], actor=request.user)
        count = len(data["assessors"])
        return f"{round_.title}: {count} assessor{'' if count == 1 else 's'}"

    if _saved(request, form, save):
        return redirect(round_)
    title = f"Assessors for {round_.title}"
    return _form_page(request, form, title, "Save the panel", round=round_)


@login_required
def finance_officers_view(request: HttpRequest) -> HttpResponse:
    require(can_manage_rounds(request.user), "Only taskforce staff name finance officers")
    form = FinanceOfficerForm(_posted(request), people=selectors.finance_officer_choices())

    def save(data: dict[str, Any]) -> str:
        services.finance_officer_set(user=data["user"], actor=request.user)
        return f"{data['user'].display_name} is a finance officer"

    if _saved(request, form, save):
        return redirect("funding:finance-officers")
    return render(
        request,
        "funding/finance_officers.html",
        {"form": form, "officers": selectors.finance_officers()},
    )


@login_required
@require_POST
def finance_officer_remove_view(request: HttpRequest, username: str) -> HttpResponse:
    require(can_manage_rounds(request.user), "Only taskforce staff name finance officers")
    person = get_object_or_404(get_user_model(), username=username)
    if services.finance_officer_remove(user=person, actor=request.user):
        messages.success(request, f"{person.display_name} is no longer a finance officer")
    return redirect("funding:finance-officers")


def round_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = get_object_or_404(
        rounds_visible_to(request.user).select_related("programme"), slug=slug
    )
    return render(
        request,
        "funding/round_detail.html",
        {
            "round": round_,
            "criteria": list(round_.criteria.all()),
            "applications": selectors.application_list(viewer=request.user, round_=round_),
            "awards": selectors.award_list(viewer=request.user, round_=round_),
            "awarded": services.round_awarded(round_),
            "recovered": services.round_recovered(round_),
            "can_apply": can_apply(request.user, round_),
            "can_manage": can_manage_rounds(request.user),
            "assessors": list(round_.assessors.order_by("first_name", "last_name", "username"))
            if can_manage_rounds(request.user)
            else None,
        },
    )


@login_required
def application_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = get_object_or_404(rounds_visible_to(request.user), slug=slug)
    require(can_apply(request.user, round_), "You cannot apply to this round")
    partnerships = partnerships_editable_by(request.user).order_by("name")
    form = ApplicationForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            application = services.application_create(
                round_=round_,
                partnership=d["partnership"],
                title=d["title"],
                summary=d["summary"],
                outcomes=d["outcomes"],
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Application {application.reference} started")
            return redirect(application)
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": f"Apply to {round_.title}",
            "round": round_,
            "button": "Start application",
        },
    )


@login_required
def application_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in ApplicationStatus.values:
        status = None
    return render(
        request,
        "funding/application_list.html",
        {
            "applications": selectors.application_list(viewer=request.user, status=status),
            "status": status,
            "statuses": ApplicationStatus.choices,
        },
    )


def _application(request: HttpRequest, reference: str) -> Application:
    try:
        return selectors.application_get(viewer=request.user, reference=reference)
    except Application.DoesNotExist:
        raise Http404("No such application") from None


@require_safe
def application_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference)
    results, score = (None, None)
    if can_see_all_scores(request.user, application):
        results, score = services.application_score(application)
    criteria = {c.pk: c for c in application.round.criteria.all()}
    award = (
        getattr(application, "award", None)
        if application.status == ApplicationStatus.AWARDED
        else None
    )
    return render(
        request,
        "funding/application_detail.html",
        {
            "application": application,
            "requested": services.requested_amount(application),
            "budget_total": sum((b.amount for b in application.budget_lines.all()), start=0),
            "results": [(criteria[r.criterion], r) for r in results or []],
            "score": score,
            "can_edit": can_edit_application(request.user, application),
            "can_assess": can_assess(request.user, application),
            "can_moderate": can_moderate(request.user, application),
            "can_decide": can_decide(request.user, application),
            "award": award,
            "promises": selectors.promises(application) if award else None,
        },
    )


def _member_councils(application: Application) -> Any:
    from partnering.partnerships.models import Membership

    return Organisation.objects.filter(
        pk__in=Membership.objects.current_on(services.membership_day(application.round))
        .filter(partnership=application.partnership)
        .values("organisation")
    ).order_by("name")


def _edit_page(
    request: HttpRequest, reference: str, form_class: Any, title: str, save: Any, **form_kwargs: Any
) -> HttpResponse:
    application = _application(request, reference)
    require_on(
        application.partnership,
        can_edit_application(request.user, application),
        "Only a draft can be changed, by its partnership",
    )
    kwargs = {k: (v(application) if callable(v) else v) for k, v in form_kwargs.items()}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(application, form.cleaned_data, request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{title}: saved")
            return redirect(application)
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": title,
            "application": application,
            "button": "Save",
        },
    )


@login_required
def budget_line_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _edit_page(
        request,
        reference,
        BudgetLineForm,
        "Add a budget line",
        lambda a, d, u: services.budget_line_set(
            application=a,
            year=d["year"],
            organisation=d["organisation"],
            amount=d["amount"],
            actor=u,
        ),
        members=_member_councils,
    )


@login_required
def milestone_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _edit_page(
        request,
        reference,
        MilestoneForm,
        "Add a milestone",
        lambda a, d, u: services.milestone_add(
            application=a, title=d["title"], due_on=d["due_on"], amount=d["amount"], actor=u
        ),
    )


@login_required
def service_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _edit_page(
        request,
        reference,
        PromisedServiceForm,
        "Add a service to e-enable",
        lambda a, d, u: services.promised_service_add(
            application=a,
            service=d["service"],
            organisation=d["organisation"],
            by_date=d["by_date"],
            actor=u,
        ),
        services=selectors.catalogue().order_by("label"),
        councils=lambda a: _member_councils(a).filter(kind__in=COUNCIL_KINDS),
    )


@login_required
@require_POST
def application_submit_view(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference)
    require_on(
        application.partnership,
        can_edit_application(request.user, application),
        "Only a draft can be submitted, by its partnership",
    )
    try:
        services.application_submit(application=application, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Application {application.reference} submitted")
    return redirect(application)


@login_required
def assess_view(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference)
    require(can_assess(request.user, application), "You are not on this round's panel")
    round_ = application.round
    form = AssessmentForm(
        request.POST or None,
        criteria=list(round_.criteria.all()),
        score_min=round_.score_min,
        score_max=round_.score_max,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_submit(
                application=application,
                scores=form.scores(),
                assessor=request.user,
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Assessment submitted")
            return redirect(application)
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": f"Assess {application.reference}",
            "application": application,
            "button": "Submit assessment",
        },
    )


@login_required
def moderate_view(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference)
    require(can_moderate(request.user, application), "Only taskforce staff moderate")
    criteria = list(application.round.criteria.all())
    form = ModerationForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        criterion = next(c for c in criteria if c.pk == d["criterion"])
        try:
            services.moderation_record(
                application=application,
                criterion=criterion,
                score=d["score"],
                note=d["note"],
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Agreed score for ‘{criterion.title}’ recorded")
            return redirect(application)
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": f"Moderate {application.reference}",
            "application": application,
            "button": "Record agreed score",
        },
    )


@login_required
def decide_view(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference)
    require(can_decide(request.user, application), "Only taskforce staff decide")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["decision"] == "award":
                award = services.award_make(
                    application=application,
                    reason=d["reason"],
                    conditions=d["conditions"],
                    awarded_on=d["awarded_on"],
                    agreement_starts_on=d["agreement_starts_on"],
                    agreement_ends_on=d["agreement_ends_on"],
                    actor=request.user,
                )
            else:
                services.application_reject(
                    application=application, reason=d["reason"], actor=request.user
                )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if d["decision"] == "award":
                messages.success(request, f"Awarded £{award.amount:,}")
                return redirect(award)
            messages.success(request, "Decision recorded: not funded")
            return redirect(application)
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": f"Decide {application.reference}",
            "application": application,
            "requested": services.requested_amount(application),
            "button": "Record decision",
        },
    )


def award_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "funding/award_list.html", {"awards": selectors.award_list(viewer=request.user)}
    )


def _award(request: HttpRequest, pk: int) -> Any:
    from .models import Award

    try:
        return selectors.award_get(viewer=request.user, pk=pk)
    except Award.DoesNotExist:
        raise Http404("No such award") from None


def award_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk)
    own = can_claim(request.user, award)
    return render(
        request,
        "funding/award_detail.html",
        {
            "award": award,
            "paid": award.paid_gross - award.clawed,
            "outstanding": award.amount
            - award.clawed
            - award.withheld
            - (award.paid_gross - award.clawed),
            "claims": list(award.claims.all()) if own else [],
            "can_claim": own and award.status == "active",
            "can_manage": can_manage_award(request.user, award),
            "promises": selectors.promises(award.application),
            "grant_id": open_data.grant_id(award),
        },
    )


@login_required
def claim_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk)
    require(can_claim(request.user, award), "Only the partnership's people claim")
    milestones = list(award.application.milestones.all())
    form = ClaimForm(request.POST or None, request.FILES or None, milestones=milestones)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["evidence"]
        milestone = next(m for m in milestones if m.pk == d["milestone"])
        try:
            data = upload.read(services.MAX_EVIDENCE_BYTES + 1)
            claim = services.claim_submit(
                award=award,
                milestone=milestone,
                amount=d["amount"],
                claimed_on=d["claimed_on"],
                description=d["description"],
                files=[(upload.name, data)],
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Claim {claim.pk} submitted")
            return redirect(claim)
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": f"Claim against award {award.pk}",
            "award": award,
            "button": "Submit claim",
            "multipart": True,
        },
    )


@login_required
def claim_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in ClaimStatus.values:
        status = None
    return render(
        request,
        "funding/claim_list.html",
        {
            "claims": selectors.claim_list(viewer=request.user, status=status),
            "status": status,
            "statuses": ClaimStatus.choices,
        },
    )


def _claim(request: HttpRequest, pk: int) -> Claim:
    try:
        return selectors.claim_get(viewer=request.user, pk=pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim") from None


@login_required
def claim_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    return render(
        request,
        "funding/claim_detail.html",
        {
            "claim": claim,
            "payment": getattr(claim, "payment", None)
            if claim.status == ClaimStatus.PAID
            else None,
            "can_approve": can_approve_claim(request.user, claim),
            "can_pay": can_record_payment(request.user, claim),
            "reject_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def claim_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    require(is_finance(request.user), "Only finance officers approve claims")
    try:
        services.claim_approve(claim=claim, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Claim {claim.pk} approved: a second finance officer records the payment"
        )
    return redirect(claim)


@login_required
@require_POST
def claim_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    require(is_finance(request.user), "Only finance officers reject claims")
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.claim_reject(
                claim=claim, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Claim {claim.pk} rejected")
    else:
        messages.error(request, "Enter the reason for rejecting the claim")
    return redirect(claim)


@login_required
def payment_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    require(is_finance(request.user), "Only finance officers record payments")
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.payment_record(
                claim=claim,
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"Payment {payment.reference} of £{payment.amount:,} recorded"
            )
            return redirect(claim)
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": f"Record the payment of claim {claim.pk} (£{claim.amount:,})",
            "claim": claim,
            "button": "Record payment",
        },
    )


@login_required
def evidence_download_view(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("claim"), pk=pk)
    _claim(request, evidence.claim_id)  # 404 unless the claim is visible
    response = HttpResponse(bytes(evidence.data), content_type=evidence.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="evidence-{evidence.pk}{_suffix(evidence)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _suffix(evidence: Evidence) -> str:
    return {
        "application/pdf": ".pdf",
        "image/png": ".png",
        "image/jpeg": ".jpg",
        "text/plain": ".txt",
    }.get(evidence.content_type, ".docx" if "word" in evidence.content_type else ".xlsx")


@login_required
def variation_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk)
    require(can_manage_award(request.user, award), "Only taskforce staff vary awards")
    milestones = list(award.application.milestones.all())
    form = VariationForm(request.POST or None, milestones=milestones)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changes = [
            services.MilestoneChange(
                m.number, due_on=d[f"due_{m.number}"], amount=d[f"amount_{m.number}"]
            )
            for m in milestones
            if d[f"due_{m.number}"] != m.due_on or d[f"amount_{m.number}"] != m.amount
        ]
        try:
            services.variation_make(
                award=award, kind=d["kind"], changes=changes, reason=d["reason"], actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Variation recorded")
            return redirect(award)
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": f"Vary award {award.pk}",
            "award": award,
            "button": "Record variation",
        },
    )


@login_required
def recovery_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk)
    require(can_manage_award(request.user, award), "Only taskforce staff claw back or withhold")
    form = RecoveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.recovery_record(
                award=award,
                kind=d["kind"],
                amount=d["amount"],
                reason=d["reason"],
                on=d["on"],
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Recorded")
            return redirect(award)
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": f"Claw back or withhold: award {award.pk}",
            "award": award,
            "button": "Record",
        },
    )


# --- the money view, e-enablement, open data -------------------------------------------------


def money_view(request: HttpRequest) -> HttpResponse:
    view = selectors.money_view()
    return render(request, "funding/money.html", {"view": view, "charts": _money_charts(view)})


def _bars(rows: list[Any]) -> dict[str, Any]:
    """Bar geometry for the SVG (the numbers themselves are in the table beside it)."""
    top = max([r.committed for r in rows] + [r.paid for r in rows] + [Decimal(1)])
    bars = []
    for i, r in enumerate(rows):
        c_width = float(300 * max(r.committed, 0) / top)
        bars.append(
            {
                "label": r.label,
                "committed": r.committed,
                "y": 10 + 30 * i,
                "c_width": round(c_width, 1),
                "p_width": round(float(300 * max(r.paid, 0) / top), 1),
                "text_x": round(205 + c_width, 1),
            }
        )
    return {"bars": bars, "height": 20 + 30 * len(rows)}


def _money_charts(view: Any) -> list[dict[str, Any]]:
    """A chart of each grouping, each drawn beside its table."""
    return [
        {"id": key, "title": title, "rows": rows, "group_label": label,
         "with_budget": key == "round", **_bars(rows)}
        for key, title, label, rows in (
            ("round", "By round", "Round", view.by_round),
            ("year", "By financial year", "Financial year", view.by_year),
            ("region", "By region", "Region", view.by_region),
            ("kind", "By kind of partnership", "Kind", view.by_kind),
        )
    ]  # fmt: skip


def money_download_view(request: HttpRequest, fmt: str) -> HttpResponse:
    view = selectors.money_view()
    header = [
        "Grouping",
        "Group",
        "Budget",
        "Committed",
        "Paid",
        "Outstanding",
        "Remaining",
        "Awarded",
        "Recovered",
    ]
    rows = []
    for name, group in (
        ("Round", view.by_round),
        ("Region", view.by_region),
        ("Kind", view.by_kind),
        ("Financial year", view.by_year),
        ("Total", [view.total]),
    ):
        rows.extend(
            [
                name,
                r.label,
                r.budget,
                r.committed,
                r.paid,
                r.outstanding,
                r.remaining,
                r.awarded,
                r.recovered,
            ]
            for r in group
        )
    kinds = ["text", "text", *["money"] * 7]
    about = about_lines(
        f"Strategic Partnering Platform: the money of {view.programme.title}"
        if view.programme else "Strategic Partnering Platform: funding money (no programme yet)",
        figures_words(selectors.award_demo_flags(view.programme)),
    )  # fmt: skip
    if fmt == "csv":
        return csv_response("funding-money.csv", header, rows, about=about, kinds=kinds)
    if fmt == "xlsx":
        return xlsx_response("funding-money.xlsx", "Money", header, rows, about=about, kinds=kinds)
    raise Http404("No such format")


def _progress_chart(points: list[Any]) -> list[dict[str, Any]]:
    out = []
    for i, p in enumerate(points):
        h = round(float(170 * p.percent / 100), 1)
        out.append(
            {
                "label": p.on.year,
                "percent": p.percent,
                "enabled": p.enabled,
                "total": p.total,
                "x": 60 + 70 * i,
                "h": h,
                "y": round(190 - h, 1),
                "ty": round(max(186 - h, 36), 1),
            }
        )
    return out


def e_enablement_view(request: HttpRequest) -> HttpResponse:
    view = selectors.e_enablement_view()
    show_all = bool(request.GET.get("all"))
    councils = view.councils if show_all else [c for c in view.councils if c.enabled]
    paging = paginate(request, councils)  # type: ignore[arg-type]
    return render(
        request,
        "funding/e_enablement.html",
        {
            "view": view,
            "chart": _progress_chart(view.points),
            "title": "E-enablement: every council",
            "can_import": can_manage_e_enablement(request.user),
            "councils": paging["page_obj"].object_list,
            "paging": paging,
            "show_all": show_all,
        },
    )


def council_e_enablement_view(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug, kind__in=COUNCIL_KINDS)
    view = selectors.e_enablement_view(councils=Organisation.objects.filter(pk=organisation.pk))
    return render(
        request,
        "funding/council_e_enablement.html",
        {
            "organisation": organisation,
            "view": view,
            "chart": _progress_chart(view.points),
            "services": selectors.council_services(organisation),
        },
    )


@require_safe
def partnership_e_enablement_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    view = selectors.e_enablement_view(councils=selectors.partnership_councils(partnership))
    return render(
        request,
        "funding/e_enablement.html",
        {
            "view": view,
            "chart": _progress_chart(view.points),
            "partnership": partnership,
            "title": f"E-enablement: {partnership.name}",
            "councils": view.councils,
            "show_all": True,
        },
    )


@login_required
def e_enablement_import_view(request: HttpRequest) -> HttpResponse:
    require(
        can_manage_e_enablement(request.user), "Only taskforce staff import e-enablement records"
    )
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(20 * 1024 * 1024 + 1)
        try:
            if len(data) > 20 * 1024 * 1024:
                raise ImportFileError(Path(upload.name), 0, "the file is larger than 20 MB")
            created, updated = services.e_enablement_import(
                path=Path(upload.name), data=data, actor=request.user
            )
        except ImportFileError as error:
            where = f"line {error.line}" if error.line else "the file"
            form.add_error(
                "file",
                f"{Path(str(error.path)).name}, {where}: {error.reason}. Nothing was imported.",
            )
            form.mark_errors()
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Imported: {created} new records, {updated} changed")
            return redirect("funding:e-enablement")
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": "Import e-enablement records",
            "button": "Import",
            "multipart": True,
        },
    )


def grants_json_view(request: HttpRequest) -> HttpResponse:
    package = open_data.package(base_url=_base_url(request))
    response = HttpResponse(
        json.dumps(package, indent=1, ensure_ascii=False), content_type="application/json"
    )
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="grants.json"'
    return response


def grants_flat_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    return open_data.flat_response(base_url=_base_url(request), fmt=fmt)


def open_data_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "funding/open_data.html",
        {
            "count": open_data.published_awards().count(),
            "prefix": open_data.prefix(),
            "funder": open_data.funder(),
        },
    )
