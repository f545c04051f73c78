"""The columns of an import template, each knowing its header, how to read a cell and how to show a value.

A column's header is the model field's verbose name (`field_header`), as on the lists, so that a list's
export reads back in (its other columns, computed figures, are left aside). Headers are recognised in
Vietnamese and English, whatever their case or diacritics.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from coop.formatting import format_vnd
from coop.text import fold
from imports.cells import CellError, is_blank, read_choice, read_date, read_money, read_text, read_whole_number

# How a column's cells are typed in the template: its Excel data validation and number format.
TEXT, CHOICE, MONEY, WHOLE, DATE = "text", "choice", "money", "whole", "date"


def all_languages(label) -> set[str]:
    """A lazy label's folded text in every language of the site."""
    texts = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts.add(fold(str(label)))
    return texts


def choice_words(choices) -> dict[str, str]:
    """Folded label (in every language) or value of each choice → the choice's value."""
    words = {}
    for value, label in choices.choices:
        words[fold(value)] = value
        for text in all_languages(label):
            words[text] = value
    return words


@dataclass(eq=False)
class Column:
    """One column of a kind's template. `read` turns a cell into a value (`References` at hand), `show` a value
    into words for the preview; `listed` gives the drop-down list of the template, when it has one."""

    name: str
    header: object  # a lazy translation
    cell_type: str = TEXT
    required: bool = False
    aliases: tuple = ()
    read: Callable | None = None
    show: Callable[[object], str] | None = None
    listed: Callable | None = None
    example: object = ""
    width: int = 18
    max_length: int | None = None
    whole_range: tuple[int | None, int | None] = (0, None)
    choices: object = None
    help_text: object = ""
    # A blank cell keeps what the record holds (a field with a default, such as a task's status) rather than
    # clearing it.
    keep_when_blank: bool = False
    headers_folded: set[str] = field(default_factory=set)
    words: dict[str, str] = field(default_factory=dict)

    def matches(self, header: str) -> bool:
        if not self.headers_folded:
            for label in (self.header, *self.aliases):
                self.headers_folded |= all_languages(label)
        return fold(header) in self.headers_folded

    def value_of(self, raw, refs):
        """The cell read as this column's value; a blank cell of a required column is an error."""
        if self.required and is_blank(raw):
            raise CellError(_("this column must be filled in"))
        if self.read is not None:
            return self.read(raw, refs)
        if self.cell_type == MONEY:
            return read_money(raw)
        if self.cell_type == DATE:
            return read_date(raw)
        if self.cell_type == WHOLE:
            minimum, maximum = self.whole_range
            return read_whole_number(raw, minimum=minimum, maximum=maximum)
        if self.cell_type == CHOICE:
            return read_choice(raw, self.choice_words())
        return read_text(raw, max_length=self.max_length)

    def choice_words(self) -> dict[str, str]:
        """The words that name each choice (`choice_words`), gathered once in every language."""
        if not self.words:
            self.words = choice_words(self.choices)
        return self.words

    def shown(self, value) -> str:
        """A value in the words of the preview and of the history: "1.234.567 đ", "10/06/2020", a status's label."""
        if value is None or value == "":
            return ""
        if self.show is not None:
            return self.show(value)
        if self.cell_type == CHOICE:
            return str(dict(self.choices.choices).get(value, value))
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, Decimal | int) and self.cell_type == MONEY:
            return format_vnd(value)
        return str(value)

    def example_value(self):
        """The template's example cell, typed as the column is (a date cell for a date), as a user's would be."""
        if self.cell_type == DATE and self.example:
            return read_date(self.example)
        if self.example == "":
            return None
        return str(self.example) if isinstance(self.example, Promise) else self.example

    def list_values(self, refs) -> list[str]:
        """The values of the template's drop-down list for this column, in the active language."""
        if self.listed is not None:
            return list(self.listed(refs))
        if self.cell_type == CHOICE:
            return [str(label) for _value, label in self.choices.choices]
        return []
