"""Filters of the endpoints that have no list page of their own; every other endpoint reuses its page's FilterSet."""

from django.utils.translation import gettext_lazy as _

from coop.filters import BaseFilterSet, RowsFilter
from programmes.models import Agency, Person


def visible_agencies(user):
    if user is None:
        return Agency.objects.none()
    return Agency.objects.visible_to(user)


class PersonFilter(BaseFilterSet):
    """People by the diacritic-free search of their name, position and agency (`q`), or by agency."""

    agency = RowsFilter(
        queryset=visible_agencies,
        label=_("Agency"),
    )

    class Meta:
        model = Person
        fields = ["q", "agency"]
