"""What the base layout shows on every page."""

from coop.roles import role_label


def user_role(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_role": role_label(user)}
