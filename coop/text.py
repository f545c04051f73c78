"""Vietnamese text folding, so that search ignores diacritics and case.

Users type `thai binh` and expect "Thái Bình"; they type `dong` and expect "đồng".
Unicode decomposition strips the tone and vowel marks, but "đ" is a letter of its
own (not d plus a mark), so it is mapped explicitly. An ampersand inside an
abbreviation is dropped, so "KH&CN" folds to "khcn", which users type; since words
match as substrings, `kh cn` still finds it.
"""

import re
import unicodedata

_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "d"})
_AMPERSAND_IN_ABBREVIATION = re.compile(r"(?<=\w)&(?=\w)")
_NON_WORD = re.compile(r"[^\w]+")


def fold(text: str | None) -> str:
    """Lower-case `text`, strip Vietnamese diacritics and collapse punctuation to single spaces.

    >>> fold("Đồng Thái Bình")
    'dong thai binh'
    """
    if not text:
        return ""
    text = _AMPERSAND_IN_ABBREVIATION.sub("", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NON_WORD.sub(" ", without_marks.casefold()).split())


def fold_words(query: str | None) -> list[str]:
    """The distinct folded words of a search query, in the order typed."""
    return list(dict.fromkeys(fold(query).split()))
