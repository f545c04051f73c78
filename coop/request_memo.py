"""What one request works out once and then reuses: the rows a user may see, read in one query.

A provincial department's list page narrows seven to ten queries to the tasks the user may see
(the count, the page's keys, the totals, the choices of three filters, the reports waiting for
review). Written as a subquery, each of them joined the union behind `Task.objects.visible_to`
against all 50,000 tasks (20–30 ms each on the national set). Within a request, the ids are read
once and each query takes them as a list: an index lookup.

`remembered(key, compute)` keeps `compute()` for the rest of the request. Outside a request (a
service, a management command, the worker, a test calling a query directly) nothing is kept and
`compute` runs each time. Any row saved or deleted during the request forgets everything kept,
so that a request that writes and then reads sees what it wrote.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_save

_kept: ContextVar[dict | None] = ContextVar("request_memo", default=None)


class RequestMemoMiddleware:
    """Gives each request its own memory, dropped when the view has answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _kept.set({})
        try:
            return self.get_response(request)
        finally:
            _kept.reset(token)


def remembered(key, compute: Callable[[], object]):
    """`compute()`, once per request for each `key`; every time outside a request."""
    kept = _kept.get()
    if kept is None:
        return compute()
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def in_request() -> bool:
    return _kept.get() is not None


def forget_everything(**_kwargs) -> None:
    kept = _kept.get()
    if kept:
        kept.clear()


for signal in (post_save, post_delete, m2m_changed):
    signal.connect(forget_everything, dispatch_uid=f"request_memo_{signal}")
