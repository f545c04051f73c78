"""What the base layout shows on every page."""

from django.utils.functional import SimpleLazyObject

from coop.models import Notification
from coop.roles import role_label


def user_role(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_role": role_label(user)}


def unread_notifications(request):
    """The number of the user's unread notifications, beside their name in the header.

    Lazy: counted only when a page shows the header, in one query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = Notification.objects.filter(recipient=user).unread()
    return {"unread_notifications": SimpleLazyObject(unread.count)}
