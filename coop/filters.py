"""The base of every list's filter form: Bootstrap widgets and one diacritic-free `q` search."""

import re

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
    """Options as (pk, label) pairs read from the database, without building a model instance for each.

    Read in one query, not through a server-side cursor as Django's iterator reads them: declaring, fetching and
    closing one took 2.5 ms for the 63 provinces of a filter, three round trips for a few KB.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


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


class QuickCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Django's checkboxes, each option's `<input>` written in Python rather than through Django's four templates
    (`checkbox_option.html` includes `input_option.html`, which includes `input.html`, which includes `attrs.html`).

    The markup is the same; the task list's 22 checkboxes took 5 ms of its page that way. The list pages write each
    option's `<label>` themselves and ask for the bare input (`option.tag`); a label wrapped around it is Django's
    template's job still.
    """

    def _render(self, template_name, context, renderer=None):
        option = context["widget"]
        if template_name != self.option_template_name or option.get("wrap_label"):
            return super()._render(template_name, context, renderer)
        value = "" if option["value"] is None else format_html(' value="{}"', str(option["value"]))
        return format_html(
            '<input type="{}" name="{}"{}{}>', option["type"], option["name"], value, attributes_html(option["attrs"])
        )


class ChosenOnlyMixin:
    """A select of model rows that lists only the rows chosen, not every row.

    For a choice among thousands of rows reached only by links (the reporting calendar's programme, chosen from a
    row of its tables): a list of them all weighs hundreds of KB, and nobody picks from 1,000 options. It shows what
    it holds, so that it can be cleared; the template leaves it out when it holds nothing. The lists' filters find
    such rows by typing instead (`AutocompleteSelectMultiple`).
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


class ChosenOnlySelect(ChosenOnlyMixin, QuickSelect):
    pass


# A choice among more rows than this is not written as a list of options: the filter shows the rows chosen and a box
# that finds others by code or name (`AutocompleteSelectMultiple`). 1,004 programmes weighed 197 KB of a 244 KB page.
AUTOCOMPLETE_THRESHOLD = 100
# The rows a search of the box offers at most, on the page (without JavaScript) and from `filter_choices`.
AUTOCOMPLETE_LIMIT = 20
# The GET parameter of the box, after the filter's own name: `?programme_find=thai binh`. Not a filter: the list's
# filters read only the rows chosen, which a unique match of the words typed becomes (see `value_from_datadict`).
FIND_SUFFIX = "_find"


def is_searchable(model) -> bool:
    """Whether `model` keeps a folded `search_text` column (`coop.models.SearchableModel`) to find its rows by."""
    try:
        model._meta.get_field("search_text")
    except FieldDoesNotExist:
        return False
    return True


def choice_pairs(field, rows) -> list[tuple[str, str]]:
    """(key, label) of `rows` as the options of `field` show them: its label column, or its `label_from_instance`."""
    label_field = getattr(field, "label_field", None)
    if label_field is not None:
        return [(str(key), str(label)) for key, label in rows.values_list("pk", label_field)]
    return [(str(field.prepare_value(row)), str(field.label_from_instance(row))) for row in rows]


def find_rows(rows, words: str):
    """The rows of `rows` whose folded `search_text` holds every word typed (`thai binh` finds "Thái Bình"), at most
    `AUTOCOMPLETE_LIMIT` + 1 of them, so that the caller knows whether there are more; none for blank words."""
    if not words.strip():
        return rows.none()
    return filter_by_words(rows, words)[: AUTOCOMPLETE_LIMIT + 1]


class AutocompleteSelectMultiple(QuickSelectMultiple):
    """A multiple choice of rows that lists them all when they are few, and otherwise the rows chosen and a box to
    find others.

    Up to `threshold` rows (read in one query of at most `threshold` + 1 rows), the select of every option, as
    `QuickSelectMultiple` writes it. Past it, or always with `threshold=0`: a text box, then a select holding only
    the rows chosen (selected, so that the page shows and submits what it is filtered by, and they can be unticked).
    static/js/autocomplete.js makes the box a combobox (WAI-ARIA 1.2) that asks `filter_choices` for the rows
    matching what is typed, and adds the row picked to the select. Without JavaScript the box is sent as
    `<name>_find`: words that match one row choose it (a code typed in full), words that match several list them in
    the select to pick from, and the note under the box says so.

    `BaseFilterSet.form` gives it `url` (the rows' search, for the list and filter) and `label`.
    """

    template_note = '<div class="form-text" id="{}_note">{}</div>'

    def __init__(self, attrs=None, choices=(), *, threshold: int = AUTOCOMPLETE_THRESHOLD):
        super().__init__(attrs, choices)
        self.threshold = threshold
        self.url = None
        self.label = ""
        self.find_words = ""
        self.found = None  # the rows the words typed matched, when no JavaScript sent the one picked
        self.few = None  # every (key, label) when the rows are few enough to list

    def value_from_datadict(self, data, files, name):
        chosen = super().value_from_datadict(data, files, name)
        words = data.get(name + FIND_SUFFIX, "")
        if not isinstance(words, str) or not words.strip() or not self.is_searchable():
            return chosen
        self.find_words = words[:SEARCH_MAX_LENGTH]
        found = choice_pairs(self.choices.field, find_rows(self.choices.queryset, self.find_words))
        if len(found) == 1:
            # One row matches: it is what was meant (a code typed in full, or a name no other row shares).
            self.find_words = ""
            return [*chosen, found[0][0]] if found[0][0] not in chosen else chosen
        self.found = found
        return chosen

    def is_searchable(self) -> bool:
        queryset = getattr(self.choices, "queryset", None)
        return queryset is not None and is_searchable(queryset.model)

    def few_choices(self):
        """Every (key, label) when there are at most `threshold` rows to choose from; None when there are more."""
        if not self.is_searchable():
            return list(iter(self.choices))  # not list(choices), whose length hint would count the rows first
        if self.threshold == 0:
            return None
        field = self.choices.field
        rows = self.choices.queryset[: self.threshold + 1]
        pairs = choice_pairs(field, rows)
        if len(pairs) > self.threshold:
            return None
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        return empty + pairs

    def id_for_label(self, id_):
        return id_  # the box when the rows are many, the select when they are few

    def render(self, name, value, attrs=None, renderer=None):
        self.few = self.few_choices()
        if self.few is not None:
            return super().render(name, value, attrs, renderer)
        return self.render_box(name, value, attrs)

    def choices_to_write(self, chosen: set[str]):
        """Every row when they are few; else the rows chosen, then those the words typed found (without JavaScript)."""
        if self.few is not None:
            return self.few
        queryset = self.choices.queryset
        keys = [key for key in chosen if is_possible_key(queryset.model._meta.pk, key)]
        pairs = choice_pairs(self.choices.field, queryset.filter(pk__in=keys)) if keys else []
        written = {key for key, _label in pairs}
        return pairs + [(key, label) for key, label in (self.found or [])[:AUTOCOMPLETE_LIMIT] if key not in written]

    def render_box(self, name, value, attrs):
        final_attrs = self.build_attrs(self.attrs, attrs)
        box_id = final_attrs.pop("id", None) or f"id_{name}"
        described_by = " ".join(filter(None, [final_attrs.pop("aria-describedby", None), f"{box_id}_note"]))
        invalid = final_attrs.pop("aria-invalid", None)
        select_attrs = {
            **final_attrs,
            "id": f"{box_id}_chosen",
            "class": f"{final_attrs.get('class', 'form-select form-select-sm')} mt-1",
            "aria-label": self.chosen_label(),
        }
        select = super().render(name, value, select_attrs, None)
        options = select.count("<option")
        if options:  # as tall as its rows (two at least), not the browser's four
            select = mark_safe(select.replace("<select ", f'<select size="{min(max(options, 2), 8)}" ', 1))
        if not options:
            # Shown by the script when a row is picked; an empty select sends nothing.
            select = mark_safe(select.replace("<select ", "<select hidden ", 1))
        box_attrs = {
            "type": "text",
            "name": name + FIND_SUFFIX,
            "id": box_id,
            "value": self.find_words,
            "class": "form-control form-control-sm",
            "maxlength": SEARCH_MAX_LENGTH,
            "autocomplete": "off",
            "spellcheck": "false",
            "aria-describedby": described_by,
            "aria-invalid": invalid or False,
        }
        return format_html(
            '<div class="coop-autocomplete"{}><input{}>' + self.template_note + "{}</div>",
            attributes_html(
                {
                    "data-autocomplete-url": self.url or False,
                    "data-autocomplete-select": f"{box_id}_chosen",
                    **(self.script_texts() if self.url else {}),
                }
            ),
            attributes_html(box_attrs),
            box_id,
            self.note(),
            select,
        )

    def script_texts(self) -> dict[str, str]:
        """What static/js/autocomplete.js says (in its live region), in the page's language; it fills in `%(…)s`."""
        return {
            "data-text-none": _("No row matches these words."),
            "data-text-one": _("%(count)s row matches: the arrow keys move to it, Enter picks it."),
            "data-text-many": _("%(count)s rows match: the arrow keys move through them, Enter picks one."),
            "data-text-more": _("The first %(count)s rows that match: the arrow keys move through them, or type more."),
            "data-text-chosen": _("Chosen: %(label)s. Filter to apply it."),
            "data-text-failed": _("The rows could not be found. Filter to search with the words typed."),
        }

    def chosen_label(self) -> str:
        return format_html("{}: {}", self.label, _("chosen")) if self.label else str(_("Chosen"))

    def note(self) -> str:
        """Under the box: how to use it, or what the words typed found when no JavaScript picked a row."""
        if self.found is None:
            return str(_("Type a code or words of the name (without diacritics is fine), then pick."))
        if not self.found:
            return _("Nothing matches “%(words)s”.") % {"words": self.find_words}
        if len(self.found) > AUTOCOMPLETE_LIMIT:
            message = _("More than %(count)d rows match “%(words)s”: pick one of the first below, or type more words.")
            return message % {"count": AUTOCOMPLETE_LIMIT, "words": self.find_words}
        return ngettext(
            "%(count)d row matches “%(words)s”: pick it below, then filter.",
            "%(count)d rows match “%(words)s”: pick below, then filter.",
            len(self.found),
        ) % {"count": len(self.found), "words": self.find_words}


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

    def choices_url(self, name: str) -> str | None:
        """Where the box of the filter `name` finds rows (`filter_choices`), for the list page of the request."""
        match = getattr(self.request, "resolver_match", None)
        if match is None or not match.url_name:
            return None
        return reverse("filter_choices", args=[match.url_name, name])

    @property
    def form(self):
        form = super().form
        for name, field in form.fields.items():
            widget = field.widget
            if type(widget) is forms.SelectMultiple:
                widget_class = (
                    AutocompleteSelectMultiple
                    if isinstance(field, forms.ModelMultipleChoiceField)
                    else QuickSelectMultiple
                )
                field.widget = widget = widget_class(attrs=widget.attrs, choices=widget.choices)
            if isinstance(widget, AutocompleteSelectMultiple):
                widget.label = field.label
                widget.url = self.choices_url(name)
            if type(widget) is forms.NumberInput:
                field.widget = widget = NumberOnlyInput(attrs=widget.attrs)
            if type(widget) is forms.CheckboxSelectMultiple:
                field.widget = widget = QuickCheckboxSelectMultiple(attrs=widget.attrs, choices=widget.choices)
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
