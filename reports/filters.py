"""The filter form of the archive of issued reports, and the words that describe a list's filters in a PDF."""

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coop.filters import BaseFilterSet, RowsFilter, YearRangeFilter
from coop.formatting import format_vnd
from programmes.models import Programme
from reports.choices import DocumentState, ReportKind
from reports.models import GeneratedReport, signers


def visible_programmes(user):
    """The programme choices: only those the user may see."""
    if user is None:
        return Programme.objects.none()
    return Programme.objects.visible_to(user)


class GeneratedReportFilter(BaseFilterSet):
    # An issued report has no folded search column: it is found by kind, programme and year.
    q = None
    kind = django_filters.MultipleChoiceFilter(
        choices=ReportKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    state = django_filters.MultipleChoiceFilter(
        choices=DocumentState.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    language = django_filters.MultipleChoiceFilter(
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    programme = RowsFilter(
        queryset=visible_programmes,
        label_field="title",
    )
    signer = RowsFilter(
        queryset=lambda user: signers(),
    )
    year = YearRangeFilter(
        field_name="created_at",
        lookup_expr="year",
        label=_("Year created"),
    )
    as_of = YearRangeFilter(
        field_name="as_of",
        lookup_expr="year",
        label=_("Year of the figures"),
    )

    class Meta:
        model = GeneratedReport
        fields = ("kind", "state", "programme", "signer", "language", "year", "as_of")


def describe_filters(filterset) -> list[tuple[str, str]]:
    """What a bound and valid filter set narrows by, in words: `[("Status", "In progress, Accepted"), …]`.

    Printed at the top of a list's PDF, so that a reader knows which rows it holds.
    """
    described = []
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        if value is None or value == "":
            continue
        if isinstance(field, forms.ModelMultipleChoiceField):
            texts = [str(row) for row in value]
        elif isinstance(field, forms.MultipleChoiceField):
            labels = dict(field.choices)
            texts = [str(labels.get(item, item)) for item in value]
        elif isinstance(field, forms.DecimalField):
            texts = [format_vnd(value)]
        else:
            texts = [str(value)]
        if texts:
            described.append((str(field.label), ", ".join(texts)))
    return described
