"""`{{ text|highlight:query }}`: the words of a search marked in the text as it is displayed.

The search matches folded text (`coop.text.fold`: no case, no diacritics, "đ" → "d",
"KH&CN" → "khcn") while the page shows the original, so the matches are found in a
fold of the text that remembers, for every folded character, which original character
it came from; the original spans are then wrapped in `<mark class="hit">`. Everything
else is escaped: the result is safe to show whatever the text holds.
"""

import re
import unicodedata

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from coop.text import fold_words

register = template.Library()

_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "d"})
_NON_WORD = re.compile(r"[^\w]")
_WORD = re.compile(r"\w")


def _fold_char(char: str) -> str:
    """One character folded as `coop.text.fold` folds it; "" for a combining mark, " " for punctuation."""
    decomposed = unicodedata.normalize("NFKD", char.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", without_marks.casefold())


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the original character it came from."""
    folded, origin = [], []
    for index, char in enumerate(text):
        # `fold` drops an ampersand between two letters ("KH&CN" → "khcn"), so words match across it.
        if char == "&" and 0 < index < len(text) - 1 and _WORD.match(text[index - 1]) and _WORD.match(text[index + 1]):
            continue
        for folded_char in _fold_char(char):
            folded.append(folded_char)
            origin.append(index)
    return "".join(folded), origin


def hit_spans(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) spans of `text` whose fold matches a word of `query`, merged and in order."""
    folded, origin = _folded_with_positions(text)
    spans = []
    for word in fold_words(query):
        for match in re.finditer(re.escape(word), folded):
            start = origin[match.start()]
            end = origin[match.end() - 1] + 1
            # Keep the combining marks that follow the last letter (text stored decomposed) inside the mark.
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1
            spans.append((start, end))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight_words(text, query: str) -> SafeString:
    """`text` escaped, with every span matching a word of `query` wrapped in `<mark class="hit">`."""
    text = "" if text is None else str(text)
    pieces, position = [], 0
    for start, end in hit_spans(text, query):
        pieces.append(escape(text[position:start]))
        pieces.append(format_html('<mark class="hit">{}</mark>', text[start:end]))
        position = end
    pieces.append(escape(text[position:]))
    # Every piece of the text went through escape() or format_html(); only the <mark> tags are ours.
    return mark_safe("".join(pieces))


@register.filter(is_safe=False)
def highlight(text, query):
    """`{{ task.title|highlight:query }}`."""
    return highlight_words(text, query or "")
