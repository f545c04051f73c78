"""How the endpoints filter: with their list pages' FilterSets, and their own for records without a list page."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

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


class GivenFiltersBackend(DjangoFilterBackend):
    """django-filter's backend, building only the filters a request gives a value to.

    A filter left out filters nothing, as on the pages; but building it builds its choices, which a page
    shows and the API does not, and some choices are read at once: the provinces of a department's
    tasks (`tasks.filters.provinces_of`) cost a query on every request of a provincial department.
    """

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for name in set(filterset.filters) - set(request.query_params):
                del filterset.filters[name]
        return filterset
