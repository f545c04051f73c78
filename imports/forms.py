from django import forms
from django.utils.translation import gettext_lazy as _

from coop.forms import StyledFormMixin
from imports.kinds import KINDS
from imports.spreadsheet import FileRefused, check_size


def importable_kinds(user) -> list[tuple[str, str]]:
    """The kinds the user may import, as choices: the Ministry every kind, a province its progress and outputs."""
    return [(name, kind.sheet_title) for name, kind in KINDS.items() if kind.may_import(user)]


class ImportUploadForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file in UTF-8, separated by commas or semicolons."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = importable_kinds(user)

    def clean_file(self):
        # The size first, before anything of the file is read (the rest is checked with its rows).
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except FileRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return upload


class ImportConfirmForm(forms.Form):
    submit_for_review = forms.BooleanField(
        required=False,
        label=_("Submit the imported reports and outputs to the Ministry for review"),
        help_text=_("Unticked, they are kept as drafts for you to check and submit one by one."),
    )
