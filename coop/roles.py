"""Who may see what: the rules every view and query applies to its querysets.

Kept in `coop` because every app uses them; they read the user's agency only,
so they need no model of a higher app.
"""

from django.utils.translation import gettext_lazy as _

# Values of `programmes.choices.AgencyKind` whose staff see every programme
# (a test keeps the two in step).
MINISTRY_AGENCY_KINDS = ("ministry", "ministry_unit")


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
        return _("Administrator")
    if sees_every_programme(user):
        return _("Ministry staff")
    return _("Provincial department staff")
