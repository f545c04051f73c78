"""Who may see what, and the four roles of the application.

Reads are scoped by the user's agency (`sees_every_programme`, `own_agency_ids`,
`lineage_agency_ids`): every queryset's `visible_to(user)` uses them. An agency's scope
takes in what the agencies it carries on after a merger (its predecessors) led or were
party to; an agency that ceased to exist enters nothing more (`ended_agency`). Writes need a role's model permission
(a Django group, created by a data migration) and pass the object rules of each
app's `rules.py`. Kept in `coop` because every app uses them; they read the user's
agency only, so they need no model of a higher app.
"""

import datetime

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext
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
            "reportingperiod",
            "meeting",
            "attendance",
            "recommendation",
            "attachment",
        ],
        "tasks": ["task", "funding", "progressreport", "progressdisbursement", "output"],
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
            "reportingperiod",
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
        "programmes.delete_reportingperiod",
        "programmes.follow_up_recommendation",
        "tasks.review_progressreport",
        "tasks.accept_task",
        "tasks.review_output",
        "reports.add_generatedreport",
        "reports.draft_document",
        "reports.return_document",
        "reports.correct_document",
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
        "reports.issue_document",
        "reports.return_document",
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
            # A permission that a later migration creates (a new model or option) is not there yet when an
            # earlier migration syncs: it is skipped then, and that later migration syncs again.
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
    agency = _agency(user)
    return agency is not None and agency.kind in MINISTRY_AGENCY_KINDS


def own_agency_ids(user) -> list[int]:
    """The agencies whose part the user plays: their agency and every agency it carries on, each with the agency
    above it (a department's People's Committee), so that a merged province's programmes stay in scope."""
    return sorted({pk for pair in _lineage(user) for pk in pair if pk is not None})


def lineage_agency_ids(user) -> list[int]:
    """The user's agency and every agency it carries on: its predecessors through `Agency.successor`, transitively.

    Sở KH&CN Hưng Yên carries on Sở KH&CN Thái Bình since 1/7/2025: its staff report on the tasks the Thái
    Bình department led, which keep the name they were signed under.
    """
    return [pk for pk, _parent in _lineage(user)]


def _agency(user):
    """The user's agency, read with its predecessors (`_lineage`) when it is not loaded yet: one query for both."""
    if getattr(user, "agency_id", None) is None:
        return None
    if not user._meta.get_field("agency").is_cached(user):
        _lineage(user)
    return user.agency


def _lineage(user) -> list[tuple[int, int | None]]:
    """(agency, parent) of the user's agency and of its predecessors, read once per request and user.

    Remembered on the user object with the agency it was read for, like the roles: every `visible_to()`
    of a page asks for it. The same query loads the user's agency itself, which the scope reads too.
    """
    agency_id = getattr(user, "agency_id", None)
    if agency_id is None:
        return []
    remembered = getattr(user, "_coop_lineage", None)
    if remembered is None or remembered[0] != agency_id:
        field = user._meta.get_field("agency")
        agencies = _read_lineage(field.related_model, agency_id)
        if agencies and not field.is_cached(user):
            field.set_cached_value(user, agencies[0])
        remembered = (agency_id, [(agency.pk, agency.parent_id) for agency in agencies])
        user._coop_lineage = remembered
    return remembered[1]


def _read_lineage(agency_model, agency_id: int) -> list:
    """The agency and its predecessors, in one recursive query (PostgreSQL and SQLite alike) walking the
    successor links backwards; the agency itself first.

    UNION rather than UNION ALL: a loop of successors typed by mistake ends instead of running forever.
    """
    table = connection.ops.quote_name(agency_model._meta.db_table)
    successor = connection.ops.quote_name(agency_model._meta.get_field("successor").column)
    key = connection.ops.quote_name(agency_model._meta.pk.column)
    sql = (
        f"WITH RECURSIVE lineage (agency_id) AS ("
        f" SELECT {key} FROM {table} WHERE {key} = %s"
        f" UNION"
        f" SELECT agency.{key} FROM {table} agency JOIN lineage ON agency.{successor} = lineage.agency_id"
        f") SELECT agency.* FROM {table} agency WHERE agency.{key} IN (SELECT agency_id FROM lineage)"
    )
    agencies = list(agency_model.objects.raw(sql, [agency_id]))
    return sorted(agencies, key=lambda agency: (agency.pk != agency_id, agency.pk))


def ended_agency(user, *, on: datetime.date | None = None):
    """The user's agency if it had ceased to exist by `on` (today in Hà Nội), otherwise None.

    A merged agency's staff no longer enter progress reports or outputs: its successor's staff do.
    """
    agency = getattr(user, "agency", None) if getattr(user, "agency_id", None) else None
    if agency is None or agency.valid_to is None:
        return None
    day = on or timezone.localdate()
    return agency if agency.valid_to < day else None


def ended_agency_message(agency) -> str:
    """Why a user of an agency that ceased to exist may enter nothing, naming who carries on its work."""
    params = {"agency": agency.name, "day": agency.valid_to.strftime("%d/%m/%Y")}
    if agency.successor_id:
        params["successor"] = agency.successor.name
        return (
            gettext(
                "%(agency)s no longer exists after %(day)s: its progress reports and outputs are entered by the staff "
                "of %(successor)s, which carries on its work. Ask an administrator to move your account there."
            )
            % params
        )
    return (
        gettext(
            "%(agency)s no longer exists after %(day)s and enters no more progress reports or outputs. "
            "Ask an administrator to move your account to the agency that carries on its work."
        )
        % params
    )


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
