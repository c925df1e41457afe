"""Page-number pagination for API lists, with bounds so a bad ``page`` is a 422, never a 500.

ninja's own ``PageNumberPagination`` accepts any ``page`` >= 1: ``?page=10**30`` overflows the
database's OFFSET (SQLite "datatype mismatch", PostgreSQL "bigint out of range") and answers 500.
Use ``@paginate(PageNumberPagination, page_size=50)`` with this class instead.
"""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description=f"Items a page (at most {MAX_PAGE_SIZE})"
        )

    def __init__(self, page_size: int = 50, **kwargs: object) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)  # type: ignore[arg-type]
