"""Logging in: Django's ModelBackend reading roles and permissions in one query, and the lock-out page."""

import ipaddress
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import CharField, Value
from django.shortcuts import render

from coop.roles import remember_roles

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class OneQueryModelBackend(ModelBackend):
    """Permissions granted through the user's groups (their roles) or to the user directly, fetched together.

    Every page asks who the user is (the role in the header) and what they may do (the
    buttons, the count of work waiting): one query answers both for the whole request.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list(
                    Value(None, output_field=CharField()), "content_type__app_label", "codename"
                )
            else:
                rows = _roles_and_permissions(user_obj)
            rows = list(rows)
            remember_roles(user_obj, {group for group, _app, _codename in rows if group})
            user_obj._perm_cache = {f"{app}.{codename}" for _group, app, codename in rows if codename}
        return user_obj._perm_cache


def _roles_and_permissions(user):
    """(group name, app label, codename) rows: the user's groups with their permissions, then their own."""
    memberships = get_user_model().groups.through.objects.filter(**{get_user_model()._meta.model_name: user})
    by_group = memberships.values_list(
        "group__name",
        "group__permissions__content_type__app_label",
        "group__permissions__codename",
    )
    directly = (
        get_user_model()
        .user_permissions.through.objects.filter(**{get_user_model()._meta.model_name: user})
        .values_list(
            Value(None, output_field=CharField()),
            "permission__content_type__app_label",
            "permission__codename",
        )
    )
    return by_group.union(directly, all=True)


def client_address(request) -> str | None:
    """The address of the client, as the proxies in front of the application (`PROXY_COUNT`) deliver it.

    Each proxy appends the address it was reached from to X-Forwarded-For, so with n proxies the
    client is the n-th entry from the right; anything left of it was written by the client and is not
    believed. Fewer entries than proxies means the request did not come through them (or a proxy is
    not set up as documented): then the peer's own address counts. The answer is never empty while
    REMOTE_ADDR is set, because django-axes would count an attempt without an address against the
    user name alone, letting anyone lock any user out.
    """
    peer = request.META.get("REMOTE_ADDR")
    proxies = settings.PROXY_COUNT
    if not proxies:
        return peer
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < proxies:
        return peer
    return _valid_address(forwarded[-proxies]) or peer


def _valid_address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def login_username(request, credentials=None) -> str | None:
    """The user name a login attempt is counted under by django-axes.

    What was typed, cut to the longest user name there can be and without control characters:
    a hostile form may send anything, and the attempt must still be counted (PostgreSQL would
    refuse a NUL byte or a name past the column's 255 characters).
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    typed = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    if typed is None:
        return None
    longest = get_user_model()._meta.get_field("username").max_length
    return _CONTROL_CHARACTERS.sub("", str(typed))[:longest]


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows instead of logging in once too many passwords were wrong.

    429 Too Many Requests, with the wait in whole minutes in the user's language.
    """
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)
