"""Recording the partners' agreement to one method's split of a version, in pence."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from partnering.core.audit import audited_bulk_create, audited_save
from partnering.core.dates import govuk_date
from partnering.core.errors import DomainError

from .. import engine
from ..errors import SharingError as E
from ..models import (
    METHOD_NAMES,
    AgreedShare,
    CostModel,
    CostModelStatus,
    ShareAgreement,
    ShareCalculation,
)
from .inputs import game_data, require_complete


@transaction.atomic
def agreement_record(
    *,
    cost_model: CostModel,
    method: str,
    agreed_on: date,
    reason: str,
    actor: Any,
) -> ShareAgreement:
    """Record the partners' agreement to one method's split of this version, in pence. A
    version is agreed once: a different split needs a new version.

    The shares come from the stored calculation (which must be up to date), rounded by the
    engine's largest-remainder rule so they add up to the total to the penny.
    """
    cost_model = CostModel.objects.select_for_update().get(pk=cost_model.pk)
    partnership = cost_model.partnership
    # One agreement per version: under the row lock, so of two at once the second is refused.
    agreed = ShareAgreement.objects.filter(cost_model=cost_model).order_by("version").first()
    if agreed is not None:
        raise DomainError(
            E.ALREADY_AGREED,
            f"Version {cost_model.version} was already agreed on {govuk_date(agreed.agreed_on)} "
            f"({METHOD_NAMES.get(agreed.method, agreed.method)}): change the figures to make a "
            "new version, and agree that one",
            "method",
        )
    if method not in METHOD_NAMES:
        raise DomainError(E.METHOD_UNAVAILABLE, "Choose a method", "method")
    if not reason.strip():
        raise DomainError(E.REASON_REQUIRED, "Enter why the partners chose this split", "reason")
    if agreed_on > timezone.localdate():
        raise DomainError(
            E.DATE_IN_FUTURE, "The date agreed must be today or in the past", "agreed_on"
        )
    require_complete(cost_model)
    if agreed_on < cost_model.effective_on:
        raise DomainError(
            E.AGREED_BEFORE_MODEL,
            "The date agreed must be on or after the date this version applies from "
            f"({govuk_date(cost_model.effective_on)})",
            "agreed_on",
        )
    calculation = ShareCalculation.objects.filter(cost_model=cost_model).first()
    if (
        calculation is None
        or not calculation.is_done
        or calculation.inputs_hash != cost_model.inputs_hash
    ):
        raise DomainError(
            E.NOT_CALCULATED, "The shares have not been calculated for these figures yet", "method"
        )
    result = calculation.results.get(method, {})
    if not result.get("available"):
        raise DomainError(
            E.METHOD_UNAVAILABLE,
            result.get("message")
            or f"The {METHOD_NAMES[method]} is not available for this version",
            "method",
        )
    total = float(calculation.grand_cost or 0)
    pence = engine.pennies(result["shares"], total)
    check = engine.check_pennies(game_data(cost_model), pence)
    previous = ShareAgreement.objects.filter(partnership=partnership).order_by("-version").first()
    agreement = ShareAgreement(
        partnership=partnership,
        cost_model=cost_model,
        version=(previous.version + 1) if previous else 1,
        previous=previous,
        method=method,
        agreed_on=agreed_on,
        agreed_by=actor if getattr(actor, "is_authenticated", False) else None,
        agreed_by_name=getattr(actor, "display_name", "") or "",
        reason=reason.strip(),
        total_pence=sum(pence.values()),
        in_core=check["in_core"],
        max_excess=Decimal(str(round(check["max_excess"], 2))),
        worst_coalition=check["worst_coalition"],
    )
    agreement.full_clean()
    audited_save(
        agreement, actor=actor, reason=f"Agreed the {METHOD_NAMES[method]}: {reason.strip()}"
    )
    by_name = {p["name"]: p["organisation_id"] for p in calculation.players}
    audited_bulk_create(
        [
            AgreedShare(
                agreement=agreement,
                organisation_id=by_name[name],
                player_name=name,
                amount_pence=amount,
                position=position,
            )
            for position, (name, amount) in enumerate(pence.items())
        ],
        actor=actor,
        reason=f"Agreement version {agreement.version}",
    )
    if cost_model.status != CostModelStatus.AGREED:
        cost_model.status = CostModelStatus.AGREED
        audited_save(cost_model, actor=actor, reason=f"Agreement version {agreement.version}")
    return agreement
