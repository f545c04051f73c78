"""Lists are walked by cursor: a client can read 250,000 outputs page by page without the pages shifting."""

from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    """Ordered by primary key (ascending), so that rows added while a client walks the list come at the end.

    `page_size=` asks for up to MAX_PAGE_SIZE rows a page.
    """

    ordering = "pk"
    page_size_query_param = "page_size"
    max_page_size = 1000
