"""The programme room listens for changes that move partnerships' likeness and queues the
refresh of the "Partnerships like this one" lists (once per transaction, after it commits)."""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from partnering.organisations.models import Organisation
from partnering.partnerships.models import Membership, Partnership

from .services import similar_lists_refresh_soon


@receiver(post_save, sender=Partnership, dispatch_uid="programme.similar.partnership_saved")
@receiver(post_delete, sender=Partnership, dispatch_uid="programme.similar.partnership_deleted")
@receiver(post_save, sender=Membership, dispatch_uid="programme.similar.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="programme.similar.membership_deleted")
@receiver(post_save, sender=Organisation, dispatch_uid="programme.similar.organisation_saved")
def likeness_changed(sender: Any, **kwargs: Any) -> None:
    """A partnership's stage, purpose or publication, its members, or a member's tier or
    region changed: every list may move (the text weights are counted over all of them)."""
    if not kwargs.get("raw"):
        similar_lists_refresh_soon()


@receiver(
    m2m_changed,
    sender=Partnership.service_areas.through,
    dispatch_uid="programme.similar.service_areas_changed",
)
def service_areas_changed(sender: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        similar_lists_refresh_soon()
