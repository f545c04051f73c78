"""The address of a row's own page, reversed once per view and filled in with each row's id; of a list, once.

A list links each of its rows to the row's page, and a page of 100 tasks asks for 100 to 300
addresses. `reverse()` looks the view up among every URL pattern, checks the converters and
quotes the result each time: a quarter of the table's time. The pages of one kind of row differ
only by their id, so `detail_url` reverses the view once with a stand-in id and writes each
row's id where the stand-in was; the address is the one `reverse()` gives.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# An id no address holds otherwise: the reversed address is split around it.
STAND_IN_ID = 9_876_543_210_123


def detail_url(view_name: str, pk: int) -> str:
    """`reverse(view_name, args=[pk])` for a view whose only argument is an integer id."""
    if pk is None:
        return reverse(view_name, args=[pk])  # an unsaved row has no page: NoReverseMatch, as before
    before, after = address_around_id(view_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{before}{int(pk)}{after}"


@lru_cache(maxsize=256)
def address_around_id(view_name: str, script_prefix: str, urlconf: str) -> tuple[str, str]:
    """The view's address before and after its id, under this prefix and URLconf (both part of the key:
    a site served under a sub-path, or a test with its own URLconf, gets its own)."""
    address = reverse(view_name, args=[STAND_IN_ID], urlconf=urlconf)
    before, stand_in, after = address.partition(str(STAND_IN_ID))
    if not stand_in or str(STAND_IN_ID) in after:
        raise ValueError(f"The address of {view_name!r} does not hold its id once: {address}")
    return before, after


def page_url(view_name: str) -> str:
    """`reverse(view_name)` for a view without arguments (a list, which a figure links with its filters)."""
    return address_of(view_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=256)
def address_of(view_name: str, script_prefix: str, urlconf: str) -> str:
    return reverse(view_name, urlconf=urlconf)
