"""Stable error codes of the library room (clients may rely on them)."""

from enum import StrEnum


class LibraryError(StrEnum):
    NOT_EDITOR = "library.not_editor"
    NOT_DRAFT = "library.not_draft"
    NOT_IN_REVIEW = "library.not_in_review"
    SELF_APPROVAL = "library.self_approval"
    SCHEDULE_IN_PAST = "library.schedule_in_past"
    NOT_PUBLISHED = "library.not_published"
    ALREADY_WITHDRAWN = "library.already_withdrawn"
    REASON_REQUIRED = "library.reason_required"
    CHANGE_NOTE_REQUIRED = "library.change_note_required"
    PARTNER_APPROVAL_NEEDED = "library.partner_approval_needed"
    NOT_A_PARTNER = "library.not_a_partner"
    NOT_A_CASE_STUDY = "library.not_a_case_study"
    FILE_TOO_LARGE = "library.file_too_large"
    FILE_TYPE = "library.file_type"
    FILE_EMPTY = "library.file_empty"
    UNSAFE_MARKUP = "library.unsafe_markup"
    UNKNOWN_RELATED = "library.unknown_related"
    NO_CHANGE = "library.no_change"
