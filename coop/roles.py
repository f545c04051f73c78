"""Who may see what, and the four roles of the application.

Reads are scoped by the user's agency (`sees_every_programme`, `own_agency_ids`):
every queryset's `visible_to(user)` uses them. Writes need a role's model permission
(a Django group, created by a data migration) and pass the object rules of each
app's `rules.py`. Kept in `coop` because every app uses them; they read the user's
agency only, so they need no model of a higher app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Values of `programmes.choices.AgencyKind` whose staff see every programme
# (a test keeps the two in step).
MINISTRY_AGENCY_KINDS = ("ministry", "ministry_unit")


class Role(models.TextChoices):
    """The roles of DESIGN.md; each value is the name of its Django group."""

    MINISTRY_STAFF = "ministry_staff", _("Ministry staff")
    PROVINCE_STAFF = "province_staff", _("Provincial department staff")
    LEADERSHIP = "leadership", _("Leadership")
    ADMINISTRATOR = "administrator", _("Administrator")


# Every role reads everything in its scope; `visible_to()` narrows what "everything" is.
_READ = [
    f"{app}.view_{model}"
    for app, names in {
        "programmes": [
            "province",
            "agency",
            "person",
            "programme",
            "programmeparty",
            "target",
            "meeting",
            "attendance",
            "recommendation",
            "attachment",
        ],
        "tasks": ["task", "funding", "progressreport", "output"],
        "reports": ["generatedreport"],
    }.items()
    for model in names
]
_MINISTRY_EDITS = [
    f"{app}.{action}_{model}"
    for app, models_ in {
        "programmes": [
            "agency",
            "person",
            "programme",
            "programmeparty",
            "target",
            "meeting",
            "attendance",
            "recommendation",
            "attachment",
        ],
        "tasks": ["task", "funding", "output"],
    }.items()
    for model in models_
    for action in ("add", "change")
]

# The model permissions each role's group holds. Changing a list needs a new data
# migration that calls `sync_role_groups()` again, as coop/migrations/0002 does.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.MINISTRY_STAFF: [
        *_READ,
        *_MINISTRY_EDITS,
        "programmes.delete_attendance",
        "programmes.delete_recommendation",
        "programmes.follow_up_recommendation",
        "tasks.review_progressreport",
        "tasks.review_output",
        "reports.add_generatedreport",
    ],
    Role.PROVINCE_STAFF: [
        *_READ,
        "tasks.add_progressreport",
        "tasks.change_progressreport",
        "tasks.add_output",
        "tasks.change_output",
        "programmes.follow_up_recommendation",
        "reports.add_generatedreport",
    ],
    Role.LEADERSHIP: [
        *_READ,
        "reports.add_generatedreport",
    ],
    # Administrators get every permission of the project's apps (see sync_role_groups).
    Role.ADMINISTRATOR: [],
}
ADMINISTRATOR_APPS = ("coop", "programmes", "tasks", "reports", "auth")


def sync_role_groups(apps) -> None:
    """Create or update the four groups with exactly the permissions of ROLE_PERMISSIONS.

    Takes the migration's app registry so that it runs inside a data migration;
    permissions are created first because Django only creates them after migrating.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # A migration's app configs have no models module, and create_permissions() skips those.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        if role == Role.ADMINISTRATOR:
            permissions = Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS)
        else:
            permissions = [permission for name in names if (permission := _permission(Permission, name))]
        group.permissions.set(permissions)


def _permission(Permission, dotted_name: str):
    """The permission, or None when an earlier migration runs before the one that declares it (that
    migration syncs the groups again); a name that no model declares at all is an error."""
    app_label, codename = dotted_name.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if permission is None and not _declared_later(dotted_name):
        raise LookupError(f"No model declares the permission {dotted_name}.")
    return permission


def _declared_later(dotted_name: str) -> bool:
    """Whether the project's current models declare the permission (its migration has not run yet)."""
    from django.apps import apps as current_apps

    app_label, codename = dotted_name.split(".")
    for model in current_apps.get_app_config(app_label).get_models():
        declared = {f"{action}_{model._meta.model_name}" for action in model._meta.default_permissions}
        declared.update(name for name, _label in model._meta.permissions)
        if codename in declared:
            return True
    return False


def user_roles(user) -> list[str]:
    """The roles of a user, read from their groups once per request.

    `coop.auth.OneQueryModelBackend` remembers them while reading the permissions,
    so a page that checks a permission gets the roles without another query.
    """
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_coop_roles"):
        user.get_all_permissions()
    if not hasattr(user, "_coop_roles"):
        remember_roles(user, set(user.groups.values_list("name", flat=True)))
    return user._coop_roles


def remember_roles(user, group_names) -> None:
    valid = set(Role.values)
    user._coop_roles = sorted(name for name in group_names if name in valid)


def sees_every_programme(user) -> bool:
    """Ministry staff, leadership and administrators see everything; anyone else only their own part.

    A user who does not work for a Ministry agency (a provincial department, an
    institute) sees the programmes their agency, or the People's Committee above
    it, is a party to, and the tasks their agency leads.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    agency = user.agency
    return agency is not None and agency.kind in MINISTRY_AGENCY_KINDS


def own_agency_ids(user) -> list[int]:
    """The user's agency and the agency above it (a department's People's Committee)."""
    agency = getattr(user, "agency", None)
    if agency is None:
        return []
    return [pk for pk in (agency.pk, agency.parent_id) if pk is not None]


def role_label(user) -> str:
    """The user's role in words, for the header of every page."""
    if user.is_superuser:
        return Role.ADMINISTRATOR.label
    roles = user_roles(user)
    if roles:
        return ", ".join(str(Role(role).label) for role in roles)
    if sees_every_programme(user):
        return _("Ministry staff (read only)")
    return _("No role yet: ask an administrator")
