"""The base of every list's filter form: Bootstrap widgets and one diacritic-free `q` search."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from coop.search import filter_by_words


class BaseFilterSet(django_filters.FilterSet):
    """Subclasses declare their filters; `q` searches the folded `search_text` of the model."""

    q = django_filters.CharFilter(
        method="filter_words",
        label=_("Search"),
        help_text=_("Without diacritics is fine: thai binh"),
    )

    def filter_words(self, queryset, name, value):
        return filter_by_words(queryset, value)

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.RadioSelect):
                continue
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)
        return form


class YearRangeFilter(django_filters.NumberFilter):
    """A year typed as a whole number, e.g. 2015."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1945)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)
