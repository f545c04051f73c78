"""Lists are walked by cursor: a client can read 250,000 outputs page by page without the pages shifting."""

from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    """Ordered by primary key (ascending), so that rows added while a client walks the list come at the end.

    `page_size=` asks for up to MAX_PAGE_SIZE rows a page.
    """

    ordering = "pk"
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_paginated_response_schema(self, schema):
        # REST framework's, in the OpenAPI 3.1 of the schema (SPECTACULAR_SETTINGS["OAS_VERSION"]): an empty link
        # is `null` by its type, where 3.0 said `nullable`.
        def link(description):
            return {"type": ["string", "null"], "format": "uri", "description": description}

        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": link("The next page: follow it until it is null to read every row."),
                "previous": link("The previous page; null on the first."),
                "results": schema,
            },
        }
