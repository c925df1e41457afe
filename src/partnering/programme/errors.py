"""Stable error codes of the programme room (clients may rely on them)."""

from enum import StrEnum


class ProgrammeError(StrEnum):
    CALL_DATES = "programme.call_dates"
    CALL_SCALE = "programme.call_scale"
    CALL_NOT_OPEN = "programme.call_not_open"
    QUOTA_RANGE = "programme.quota_range"
    QUOTA_EMPTY = "programme.quota_empty"
    ALREADY_APPLIED = "programme.already_applied"
    NOT_YOUR_PARTNERSHIP = "programme.not_your_partnership"
    NOT_DRAFT = "programme.not_draft"
    NOT_ASSESSABLE = "programme.not_assessable"
    NOT_ON_PANEL = "programme.not_on_panel"
    CONFLICT_OF_INTEREST = "programme.conflict_of_interest"
    SCORE_OUTSIDE_SCALE = "programme.score_outside_scale"
    SCORES_MISSING = "programme.scores_missing"
    ALREADY_SUBMITTED = "programme.already_submitted"
    NO_APPLICATIONS = "programme.no_applications"
    RUN_NOT_OPTIMAL = "programme.run_not_optimal"
    RUN_NOT_LATEST = "programme.run_not_latest"
    ALREADY_DECIDED = "programme.already_decided"
    UNKNOWN_APPLICATION = "programme.unknown_application"
    STAFF_ONLY = "programme.staff_only"
    NOT_ASSIGNED = "programme.not_assigned"
    ACTION_OWNER = "programme.action_owner"
