"""The base of every list's filter form: Bootstrap widgets and one diacritic-free `q` search."""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from coop.dates import FIRST_YEAR, LAST_YEAR, YEAR_OUT_OF_RANGE
from coop.search import SEARCH_MAX_LENGTH, filter_by_words

# HTML's "valid floating-point number", the only value an <input type="number"> may carry.
HTML_NUMBER = re.compile(r"-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_possible_key(key_field, key) -> bool:
    """Whether some row could have `key`: a whole number within the range the database stores for `key_field`.

    Django leaves such a key out of an `= ...` query when it is past the range, but not out of
    an `IN (...)`: SQLite cannot even bind a number past 64 bits (OverflowError). Keys read
    from an address (`?programme=99999999999999999999`) are therefore checked first.
    """
    try:
        key_field.run_validators(key_field.to_python(key))
    except (ValidationError, TypeError):
        return False
    return True


class KeyCheckedChoiceMixin:
    """For a multiple choice of rows: a key no row can have is refused before any query, as an unknown choice.

    The user reads Django's own message ("Hãy chọn một lựa chọn hợp lệ. … không phải là một
    trong các lựa chọn …"), the same as for a key of a row that does not exist.
    """

    def _check_values(self, value):
        model = self.queryset.model
        key_field = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        for key in value if isinstance(value, list | tuple) else ():
            if not is_possible_key(key_field, key):
                message = self.error_messages["invalid_choice"]
                raise ValidationError(message, code="invalid_choice", params={"value": key})
        return super()._check_values(value)


class RowsChoiceField(KeyCheckedChoiceMixin, django_filters.fields.ModelMultipleChoiceField):
    """django-filter's multiple choice of rows, refusing keys no row can have."""


class LabelColumnChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """Options as (pk, label) pairs read from the database, without building a model instance for each."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        yield from self.queryset.values_list("pk", self.field.label_field).iterator()


class LabelColumnChoiceField(RowsChoiceField):
    """A multiple choice of rows whose labels are one column, the one the model's `__str__` shows."""

    iterator = LabelColumnChoiceIterator

    def __init__(self, *args, label_field: str, **kwargs):
        self.label_field = label_field
        super().__init__(*args, **kwargs)


class RowsFilter(django_filters.ModelMultipleChoiceFilter):
    """Filters by one or more rows chosen by id (`?programme=3&programme=5`): every foreign-key filter of a list.

    Use it instead of django-filter's ModelMultipleChoiceFilter, whose field would send an id
    past the database's range to the database (see `is_possible_key`).

    `label_field`, for a choice among many rows (a thousand programmes), names the column that
    `__str__` shows: the options are then read as pairs of values, 10 ms sooner than as
    instances. The options read the same (`tests/coop/test_lists.py`).
    """

    field_class = RowsChoiceField

    def __init__(self, *args, label_field: str | None = None, **kwargs):
        if label_field is not None:
            self.field_class = LabelColumnChoiceField
            kwargs["label_field"] = label_field
        super().__init__(*args, **kwargs)

    def get_queryset(self, request):
        """The rows to choose from; a callable `queryset` is given the user whose rows they are.

        The user, not the request: a list filtered outside a request (the task list drawn as a
        PDF by the background worker) offers the same choices as the page.
        """
        if callable(self.queryset):
            return self.queryset(self.parent.user)
        return super().get_queryset(request)


def attributes_html(attrs: dict) -> str:
    """A widget's attributes as Django's `django/forms/widgets/attrs.html` writes them: in their order (not
    sorted, as `flatatt` would), True as the bare name, False left out."""
    return mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


class QuickOptionsMixin:
    """Django's select, with its options written in Python rather than through a template each.

    The markup is the same; the time is not: at national scale a filter listing 1,000
    programmes took 40 ms of the page through Django's template per option, a few ms this way.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(key) for key in self.format_value(value)}
        options = []
        for key, label in self.choices_to_write(chosen):
            if isinstance(label, list | tuple):
                return super().render(name, value, attrs, renderer)  # groups are Django's template's job
            key = "" if key is None else str(key)
            selected = " selected" if key in chosen else ""
            options.append(f'<option value="{escape(key)}"{selected}>{escape(label)}</option>')
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        return format_html(
            '<select name="{}"{}>{}</select>', name, attributes_html(final_attrs), mark_safe("".join(options))
        )

    def choices_to_write(self, chosen: set[str]):
        """(value, label) of each option to write."""
        return self.choices


class QuickSelect(QuickOptionsMixin, forms.Select):
    pass


class QuickSelectMultiple(QuickOptionsMixin, forms.SelectMultiple):
    pass


class ChosenOnlyMixin:
    """A select of model rows that lists only the rows chosen, not every row.

    For filters over thousands of rows (every lead agency, every task): a list of them all
    weighs megabytes and takes seconds to write, and nobody picks from 50,000 options. Such
    a filter is reached by links (an agency's page links to the tasks it leads) and shows
    what it holds, so that it can be unticked; the list template leaves it out when it holds nothing.
    """

    chosen_only = True

    def choices_to_write(self, chosen: set[str]):
        queryset = self.choices.queryset
        keys = [key for key in chosen if is_possible_key(queryset.model._meta.pk, key)]
        if not keys:
            return []
        field = self.choices.field
        rows = queryset.filter(pk__in=keys)
        return [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in rows]


class ChosenOnlySelectMultiple(ChosenOnlyMixin, QuickSelectMultiple):
    pass


class ChosenOnlySelect(ChosenOnlyMixin, QuickSelect):
    pass


class LinkedOnlyDateInput(forms.DateInput):
    """A filter reached by links only (a figure's link to the tasks behind it): the list's form shows it when it
    holds a value, so that it can be cleared, as `ChosenOnlyMixin` does for rows."""

    chosen_only = True


class LinkedOnlySelect(forms.Select):
    chosen_only = True


class NumberOnlyInput(forms.NumberInput):
    """A number field that writes back only a number: `value="abc"` is invalid HTML (browsers show it empty anyway).

    What was typed stays in the error message under the field.
    """

    def format_value(self, value):
        text = super().format_value(value)
        return text if text is not None and HTML_NUMBER.fullmatch(text) else None


class BaseFilterSet(django_filters.FilterSet):
    """Subclasses declare their filters; `q` searches the folded `search_text` of the model."""

    q = django_filters.CharFilter(
        method="filter_words",
        max_length=SEARCH_MAX_LENGTH,
        label=_("Search"),
        help_text=_("Without diacritics is fine: thai binh"),
    )

    def __init__(self, data=None, queryset=None, *, request=None, user=None, prefix=None):
        """A list's filters for a `request` (a page) or for a `user` (a report drawn without a request)."""
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)

    def filter_words(self, queryset, name, value):
        return filter_by_words(queryset, value)

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            widget = field.widget
            if type(widget) is forms.SelectMultiple:
                field.widget = widget = QuickSelectMultiple(attrs=widget.attrs, choices=widget.choices)
            if type(widget) is forms.NumberInput:
                field.widget = widget = NumberOnlyInput(attrs=widget.attrs)
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.RadioSelect):
                continue
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)
        return form


class YearRangeFilter(django_filters.NumberFilter):
    """A year typed as a whole number, e.g. 2015."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        kwargs.setdefault("error_messages", {"min_value": YEAR_OUT_OF_RANGE, "max_value": YEAR_OUT_OF_RANGE})
        super().__init__(*args, **kwargs)
