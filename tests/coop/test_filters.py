"""The multiple selects of every filter form, written in Python (coop/filters.py), are Django's own markup; numbers
out of range are refused in the site's words."""

import re

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from coop.dates import YEAR_OUT_OF_RANGE
from coop.filters import AutocompleteSelectMultiple, QuickSelectMultiple, YearRangeFilter
from tests.helpers import list_views, vietnamese


def markup(html: str) -> str:
    """The markup without the whitespace between tags, which Django's templates put between the options."""
    return re.sub(r">\s+<", "><", str(html)).strip()


def filter_form(view, params: dict, user):
    request = RequestFactory().get("/", params)
    request.user = user
    return view.as_view()(request).context_data["filter"].form


def writes_a_box(widget) -> bool:
    """A choice among too many rows to list (tests/coop/test_autocomplete.py checks those)."""
    return isinstance(widget, AutocompleteSelectMultiple) and widget.few_choices() is None


def chosen_values(field, widget) -> list[str]:
    """Two options of the field to choose, so that the select shows options both chosen and not."""
    return [str(value) for value, _label in field.choices if value not in ("", None)][:2]


def as_django_writes_it(bound_field, chosen: list[str]) -> str:
    """The same field through Django's own SelectMultiple and its templates, with the same options."""
    widget = bound_field.field.widget
    return bound_field.as_widget(widget=forms.SelectMultiple(attrs=widget.attrs, choices=list(widget.choices)))


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("view", list_views().values(), ids=lambda view: view.__name__)
def test_every_multiple_select_of_every_filter_form_writes_djangos_markup(demo_with_gaps, db, view, language):
    user = get_user_model().objects.get(username="bo.chuyenvien")
    with translation.override(language):
        unfiltered = filter_form(view, {}, user)
        selects = {
            name: chosen_values(field, field.widget)
            for name, field in unfiltered.fields.items()
            if isinstance(field.widget, QuickSelectMultiple) and not writes_a_box(field.widget)
        }
        for chosen in ({}, selects):
            form = filter_form(view, chosen, user)
            for name in selects:
                ours = form[name].as_widget()
                assert markup(ours) == markup(as_django_writes_it(form[name], chosen.get(name, []))), name
                assert ours.count(" selected") == len(chosen.get(name, []))


# A number out of range in a filter: the form says what is allowed in the site's words, never in Django's
# ("Đảm bảo giá trị này lớn hơn hoặc bằng với 1945 .").
YEAR_FILTERS = [
    (url_name, name)
    for url_name, view in list_views().items()
    for name, a_filter in view.filterset_class.base_filters.items()
    if isinstance(a_filter, YearRangeFilter)
]


@pytest.mark.parametrize("year", ["1800", "2500"])
@pytest.mark.parametrize(("url_name", "name"), YEAR_FILTERS, ids=lambda value: str(value))
def test_a_year_out_of_range_in_a_filter_says_which_years_are_allowed(admin_client, url_name, name, year):
    form = admin_client.get(reverse(url_name), {name: year}).context["filter"].form
    assert form.errors[name] == [vietnamese(YEAR_OUT_OF_RANGE)]


@pytest.mark.parametrize("name", ["funding_min", "funding_max"])
def test_a_negative_amount_in_a_filter_is_refused_in_the_sites_words(admin_client, name):
    form = admin_client.get(reverse("task_list"), {name: "-1"}).context["filter"].form
    assert form.errors[name] == [vietnamese("Amounts cannot be negative.")]
