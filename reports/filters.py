"""The filter form of the archive of issued reports."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from coop.filters import BaseFilterSet, YearRangeFilter
from programmes.models import Programme
from reports.choices import ReportKind
from reports.models import GeneratedReport


def visible_programmes(request):
    """The programme choices: only those the user may see."""
    if request is None:
        return Programme.objects.none()
    return Programme.objects.visible_to(request.user)


class GeneratedReportFilter(BaseFilterSet):
    # An issued report has no folded search column: it is found by kind, programme and year.
    q = None
    kind = django_filters.MultipleChoiceFilter(
        choices=ReportKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    programme = django_filters.ModelMultipleChoiceFilter(
        queryset=visible_programmes,
    )
    year = YearRangeFilter(
        field_name="created_at",
        lookup_expr="year",
        label=_("Year issued"),
    )

    class Meta:
        model = GeneratedReport
        fields = ("kind", "programme", "year")
