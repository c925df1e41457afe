"""Stable error codes of the partnerships room (clients may rely on them)."""

from enum import StrEnum


class PartnershipError(StrEnum):
    REFERENCE_TAKEN = "partnerships.reference_taken"
    LEAD_NOT_YOURS = "partnerships.lead_not_yours"
    LEAD_NOT_MEMBER = "partnerships.lead_not_member"
    PARTNERSHIP_CLOSED = "partnerships.closed"
    MEMBER_OVERLAP = "partnerships.member_overlap"
    LEFT_BEFORE_JOINED = "partnerships.left_before_joined"
    ALREADY_LEFT = "partnerships.already_left"
    DATE_IN_FUTURE = "partnerships.date_in_future"
    LEAD_CANNOT_LEAVE = "partnerships.lead_cannot_leave"
    SAME_ROLE = "partnerships.same_role"
    ROLE_CHANGE_DATE = "partnerships.role_change_date"
    REASON_REQUIRED = "partnerships.reason_required"
    STAGE_NOT_ALLOWED = "partnerships.stage_not_allowed"
    STAGE_DATE = "partnerships.stage_date"
    REOPEN_STAFF_ONLY = "partnerships.reopen_staff_only"
    PRIORITY_NOT_MEMBER = "partnerships.priority_not_member"
    SCORE_INVALID = "partnerships.score_invalid"
    ORGANISATION_NOT_IN_EXISTENCE = "partnerships.organisation_not_in_existence"
    BEFORE_PARTNERSHIP_STARTED = "partnerships.before_partnership_started"
    START_AFTER_FIRST_MEMBER = "partnerships.start_after_first_member"
    LEAD_KEEPS_LEAD_ROLE = "partnerships.lead_keeps_lead_role"
