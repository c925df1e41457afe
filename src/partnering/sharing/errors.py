"""Stable error codes of the sharing room (clients may rely on them)."""

from enum import StrEnum


class SharingError(StrEnum):
    NO_MEMBERS = "sharing.no_members"
    NO_COMPONENTS = "sharing.no_components"
    MISSING_VALUE = "sharing.missing_value"
    NEGATIVE_VALUE = "sharing.negative_value"
    DUPLICATE_COMPONENT = "sharing.duplicate_component"
    CURVE_REQUIRED = "sharing.curve_required"
    WEIGHT_REQUIRED = "sharing.weight_required"
    UNKNOWN_MEMBER = "sharing.unknown_member"
    NOT_A_MEMBER = "sharing.not_a_member"
    ENGINE_REJECTED = "sharing.engine_rejected"
    NOT_DRAFT = "sharing.not_draft"
    NOT_CALCULATED = "sharing.not_calculated"
    METHOD_UNAVAILABLE = "sharing.method_unavailable"
    REASON_REQUIRED = "sharing.reason_required"
    DATE_IN_FUTURE = "sharing.date_in_future"
    AGREED_BEFORE_MODEL = "sharing.agreed_before_model"
    ALREADY_AGREED = "sharing.already_agreed"
    NO_COST_MODEL = "sharing.no_cost_model"
    RISK_REJECTED = "sharing.risk_rejected"
    SCENARIO_NAME_TAKEN = "sharing.scenario_name_taken"
    NO_AGREEMENT = "sharing.no_agreement"
    FIGURES_MISSING = "sharing.figures_missing"
    ALL_ZERO = "sharing.all_zero"
