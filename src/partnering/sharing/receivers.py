"""The sharing room listens for membership changes and versions the cost model."""

from datetime import date
from typing import Any

from django.dispatch import receiver

from partnering.partnerships.models import Membership, Partnership
from partnering.partnerships.signals import membership_changed

from .services import cost_model_version_for_change


@receiver(membership_changed, dispatch_uid="sharing.version_on_membership_change")
def version_on_membership_change(
    sender: Any,
    *,
    partnership: Partnership,
    membership: Membership,
    change: str,
    on: date,
    actor: Any = None,
    reason: str = "",
    **kwargs: Any,
) -> None:
    """A member joined or left: a new draft version of the shares for the new member set."""
    cost_model_version_for_change(
        partnership=partnership,
        organisation=membership.organisation,
        change=change,
        on=on,
        reason=reason,
        actor=actor,
    )
