"""The multiple selects of every filter form, written in Python (coop/filters.py), are Django's own markup."""

import re

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import translation

from coop.filters import ChosenOnlySelectMultiple, QuickSelectMultiple
from tests.helpers import list_views


def markup(html: str) -> str:
    """The markup without the whitespace between tags, which Django's templates put between the options."""
    return re.sub(r">\s+<", "><", str(html)).strip()


def filter_form(view, params: dict, user):
    request = RequestFactory().get("/", params)
    request.user = user
    return view.as_view()(request).context_data["filter"].form


def chosen_values(field, widget) -> list[str]:
    """Two options of the field to choose, so that the select shows options both chosen and not."""
    if isinstance(widget, ChosenOnlySelectMultiple):
        return [str(pk) for pk in widget.choices.queryset.order_by("pk").values_list("pk", flat=True)[:2]]
    return [str(value) for value, _label in field.choices if value not in ("", None)][:2]


def as_django_writes_it(bound_field, chosen: list[str]) -> str:
    """The same field through Django's own SelectMultiple and its templates, with the same options."""
    widget = bound_field.field.widget
    choices = widget.choices_to_write(set(chosen)) if isinstance(widget, ChosenOnlySelectMultiple) else widget.choices
    return bound_field.as_widget(widget=forms.SelectMultiple(attrs=widget.attrs, choices=list(choices)))


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("view", list_views().values(), ids=lambda view: view.__name__)
def test_every_multiple_select_of_every_filter_form_writes_djangos_markup(demo_with_gaps, db, view, language):
    user = get_user_model().objects.get(username="bo.chuyenvien")
    with translation.override(language):
        unfiltered = filter_form(view, {}, user)
        selects = {
            name: chosen_values(field, field.widget)
            for name, field in unfiltered.fields.items()
            if isinstance(field.widget, QuickSelectMultiple)
        }
        for chosen in ({}, selects):
            form = filter_form(view, chosen, user)
            for name in selects:
                ours = form[name].as_widget()
                assert markup(ours) == markup(as_django_writes_it(form[name], chosen.get(name, []))), name
                assert ours.count(" selected") == len(chosen.get(name, []))
