"""The error summary at the top of a form that was refused.

After a failed submit the page opens on this summary (static/js/coop.js moves the focus to it), so
that a screen reader reads out what went wrong; each error on a field links to that field.
`{% error_summary form %}`, or with the formsets of the page: `{% error_summary form attendance recommendations %}`.
"""

from dataclasses import dataclass

from django import template
from django.forms import BaseFormSet
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class FormError:
    """One error of the summary: on a field (its label and the id of its input) or on the whole form."""

    message: str
    label: str = ""
    field_id: str = ""


def field_anchor(field) -> str:
    """The id of the input a link to `field` lands on: the first option of a group of radios or boxes."""
    if field.id_for_label:
        return field.id_for_label
    subwidgets = field.subwidgets
    return subwidgets[0].id_for_label if subwidgets else ""


def form_errors(form, *, row: str = "") -> list[FormError]:
    """The errors of one form, those of the whole form first; `row` names the form's row in a formset."""
    errors = [FormError(f"{row}: {error}" if row else str(error)) for error in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            if field.is_hidden:
                errors.append(FormError(str(error)))
                continue
            label = str(field.label)
            if row:
                label = f"{label} ({row})"
            errors.append(FormError(str(error), label=label, field_id=field_anchor(field)))
    return errors


def formset_errors(formset) -> list[FormError]:
    errors = [FormError(str(error)) for error in formset.non_form_errors()]
    for number, form in enumerate(formset, start=1):
        errors += form_errors(form, row=_("row %(number)s") % {"number": number})
    return errors


@register.inclusion_tag("coop/error_summary.html")
def error_summary(*forms, message: str = ""):
    """Every error of the forms and formsets given (a missing one is skipped), under `message`."""
    errors = []
    for form in forms:
        if isinstance(form, BaseFormSet):
            errors += formset_errors(form)
        elif form:
            errors += form_errors(form)
    return {"errors": errors, "message": message or _("Nothing was saved: please correct what is marked below.")}
