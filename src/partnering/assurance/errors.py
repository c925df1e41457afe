"""Stable error codes of the assurance room (clients may rely on them)."""

from enum import StrEnum


class AssuranceError(StrEnum):
    GATE_ORDER = "assurance.gate_order"
    GATE_REPEATED = "assurance.gate_repeated"
    LEAD_REQUIRED = "assurance.lead_required"
    TEAM_FROM_MEMBER = "assurance.team_from_member"
    TEAM_NOT_REVIEWER = "assurance.team_not_reviewer"
    DATES = "assurance.dates"
    RATING_REQUIRED = "assurance.rating_required"
    NOT_DRAFT = "assurance.not_draft"
    NOT_FINAL = "assurance.not_final"
    OWNER_REQUIRED = "assurance.owner_required"
    DUE_REQUIRED = "assurance.due_required"
    REASON_REQUIRED = "assurance.reason_required"
    TEXT_REQUIRED = "assurance.text_required"
    ACTION_STATUS_INVALID = "assurance.action_status_invalid"
    CRITICAL_OPEN = "assurance.critical_open"
    OUT_OF_MATRIX = "assurance.out_of_matrix"
    APPROVER_REQUIRED = "assurance.approver_required"
    NOT_ABOVE_TOLERANCE = "assurance.not_above_tolerance"
    REVIEW_DATE = "assurance.review_date"
    ESCALATION_REASON = "assurance.escalation_reason"
    ALREADY_ESCALATED = "assurance.already_escalated"
    MATRIX_INVALID = "assurance.matrix_invalid"
    WRONG_PARTNERSHIP = "assurance.wrong_partnership"
