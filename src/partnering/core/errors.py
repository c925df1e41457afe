"""Domain errors: raised by services, shown by views as a GOV.UK error summary and by the API as 422."""

from enum import StrEnum


class DomainError(Exception):
    """A rule of the domain was broken. ``field`` names the form field to attach the message to."""

    def __init__(self, code: StrEnum | str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = str(code)
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"detail": self.message, "code": self.code, "field": self.field}
