"""Each page speaks one language: read in Vietnamese it shows no English of the site, read in English no Vietnamese.

The crawl of tests/crawl/addresses.py, as Ministry staff and as the Thái Bình department, in Vietnamese (the
default) and in English (the switch's cookie). A page's visible text is its text without scripts and styles,
with the words of `title`, `aria-label`, `placeholder`, `alt` and of buttons' `value`; what an element marks
as another language (`lang="vi"` on the switch's button) is left out. It must hold no phrase of the other
language from:

- the site's catalogue (tests/coop/test_translations.py checks that it is complete): in Vietnamese pages
  the English source strings, in English pages their Vietnamese translations, each phrase of two words or
  more between placeholders;
- the libraries' words the site replaces: django-tables2 and django-filter have no Vietnamese catalogue
  (their English must not show on Vietnamese pages), and Django's Vietnamese messages that the site's
  catalogue words better (coop/django_messages.py) must show on no page.

The demo data is Vietnamese in both languages: a phrase found inside a record's own text on the page (a
title that says "mô hình", an agency's name) is the record's, not a leak.
"""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django
import django_filters
import django_tables2
import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from tests.coop.test_translations import CATALOGUE
from tests.crawl.addresses import DRAWN, addresses
from tests.crawl.conftest import signed_in

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
# Ends of a phrase that say nothing of its language.
EDGES = " \t\n.,:;!?()[]«»\"'“”‘’–—-…/"
SKIPPED_ELEMENTS = {"script", "style", "template"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SPOKEN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
# Elements within a line of text: a search hit's <mark> does not cut a title in two.
INLINE_ELEMENTS = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
}  # fmt: skip


class VisibleText(HTMLParser):
    """The pieces of text a page shows or reads out: each block's text, each spoken attribute apart; and the
    language the page says it is in (`<html lang>`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.language: str | None = None
        self.pieces: list[str] = []
        self.line: list[str] = []  # the text of the current block so far
        self.skipping: list[str] = []  # the open elements whose content is left out, innermost last

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.language = attributes.get("lang")
            return
        if self.skipping:
            if tag not in VOID_ELEMENTS:
                self.skipping.append(tag)
            return
        if tag not in INLINE_ELEMENTS:
            self.end_line()
        other_language = attributes.get("lang") not in (None, self.language)
        if tag in SKIPPED_ELEMENTS or other_language:
            if tag not in VOID_ELEMENTS:
                self.skipping.append(tag)
            return
        self.pieces.extend(attributes[name] for name in SPOKEN_ATTRIBUTES if attributes.get(name))
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
            self.pieces.append(attributes["value"])

    def handle_endtag(self, tag):
        if self.skipping:
            if tag in self.skipping:
                while self.skipping.pop() != tag:
                    pass
        elif tag not in INLINE_ELEMENTS:
            self.end_line()

    def handle_data(self, data):
        if not self.skipping:
            self.line.append(data)

    def end_line(self):
        text = "".join(self.line)
        if text.strip():
            self.pieces.append(text)
        self.line = []

    def close(self):
        super().close()
        self.end_line()


def visible_text(html: str) -> tuple[str | None, str]:
    """The language the page says it is in, and its visible text: a piece a line, spaces folded, in lower case."""
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.language, "\n".join(" ".join(piece.split()).lower() for piece in parser.pieces)


def phrases(message: str) -> list[str]:
    """The phrases of two words or more of a message, between its placeholders."""
    parts = (" ".join(part.split()).strip(EDGES) for part in PLACEHOLDER.split(message))
    return [part for part in parts if len(part.split()) >= 2]


def catalogue_messages(entry) -> list[tuple[str, str]]:
    """(English, Vietnamese) of an entry, and of its plural."""
    if entry.msgid_plural:
        vietnamese = entry.msgstr_plural.get(0, "")
        return [(entry.msgid, vietnamese), (entry.msgid_plural, vietnamese)]
    return [(entry.msgid, entry.msgstr)]


def library_english() -> set[str]:
    """The words of the libraries with no Vietnamese catalogue, which the site's pages say in their own words.

    Read from one of their catalogues (any holds every source string); single words such as "next" count.
    """
    words = set()
    for library in (django_tables2, django_filters):
        catalogue = Path(library.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
        for entry in polib.pofile(str(catalogue)):
            words.update(
                part for part in (" ".join(p.split()).strip(EDGES) for p in PLACEHOLDER.split(entry.msgid)) if part
            )
    return words


def django_vietnamese_replaced() -> set[str]:
    """Django's own Vietnamese for its validators' messages and for every message the site's catalogue
    translates again (coop/django_messages.py), less the phrases the site's own Vietnamese uses too."""
    django_catalogue = Path(django.__file__).parent / "conf" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    ours = [entry for entry in polib.pofile(str(CATALOGUE)) if entry.translated()]
    retranslated = {entry.msgid for entry in ours}
    our_vietnamese = "\n".join(text for entry in ours for _english, text in catalogue_messages(entry)).lower()
    replaced = set()
    for entry in polib.pofile(str(django_catalogue)):
        if entry.translated() and (entry.msgid in retranslated or entry.msgid.startswith("Ensure ")):
            theirs = catalogue_messages(entry)[0][1]
            replaced.update(phrase for phrase in phrases(theirs) if phrase.lower() not in our_vietnamese)
    return replaced


@cache
def foreign_phrases(language: str) -> dict[str, str]:
    """{phrase in lower case: where it comes from} of what a page in `language` must not show."""
    found = {}
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or not entry.translated():
            continue
        for english, vietnamese in catalogue_messages(entry):
            if english == vietnamese:
                continue
            foreign = english if language == "vi" else vietnamese
            for phrase in phrases(foreign):
                found.setdefault(phrase.lower(), f"the catalogue's {entry.msgid!r}")
    if language == "vi":
        for word in library_english():
            found.setdefault(word.lower(), "django-tables2 or django-filter (no Vietnamese catalogue)")
    for phrase in django_vietnamese_replaced():
        found.setdefault(phrase.lower(), "Django's Vietnamese, which the site words again")
    return found


def record_texts() -> list[str]:
    """Every line of text the records hold (titles, names, notes, a document's sections), in lower case: the
    data of the pages."""
    texts = set()
    for model in apps.get_models():
        if Path(model._meta.app_config.path).parent != Path(settings.BASE_DIR):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                for value in model._base_manager.values_list(field.attname, flat=True):
                    texts.update(" ".join(line.split()).lower() for line in (value or "").splitlines() if line.strip())
    return sorted(texts)


def own_texts(language: str) -> list[str]:
    """The site's own words in `language`, in lower case: the catalogue's source strings (English) or their
    translations, each part between placeholders. They may quote the other language on purpose: the drafting
    unit's help text shows how a Vietnamese document files its copy ("Lưu: VT, PTĐP")."""
    texts = set()
    for entry in polib.pofile(str(CATALOGUE)):
        for english, vietnamese in catalogue_messages(entry):
            own = vietnamese if language == "vi" else english
            texts.update(" ".join(part.split()).lower() for part in PLACEHOLDER.split(own) if part.strip())
    return sorted(texts)


class KnownTexts:
    """Texts a phrase of the other language may rightly stand in: the records' and the site's own words."""

    def __init__(self, texts):
        self.texts = sorted(set(texts), key=len, reverse=True)
        self.by_phrase: dict[str, list[str]] = {}

    def holding(self, phrase: str) -> list[str]:
        if phrase not in self.by_phrase:
            self.by_phrase[phrase] = [text for text in self.texts if phrase in text]
        return self.by_phrase[phrase]


def whole_words_in(phrase: str, text: str) -> bool:
    return phrase in text and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def blank_out(text: str, phrase: str, known: KnownTexts) -> str:
    """The page's text without the known texts that hold the phrase, each shown whole or cut short with "…"."""
    for known_text in known.holding(phrase):
        head = known_text[: known_text.index(phrase) + len(phrase)]
        start = text.find(head)
        while start != -1:
            length = len(head)
            while length < len(known_text) and text[start + length : start + length + 1] == known_text[length]:
                length += 1
            if length == len(known_text) or text.startswith("…", start + length):
                text = f"{text[:start]}\n{text[start + length :]}"
            start = text.find(head, start + 1)
    return text


def leaks(text: str, language: str, known: KnownTexts) -> list[str]:
    return [
        f"{phrase!r} ({origin})"
        for phrase, origin in foreign_phrases(language).items()
        if whole_words_in(phrase, text) and whole_words_in(phrase, blank_out(text, phrase, known))
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("role", ["ministry", "province"])
def test_every_page_speaks_only_its_language(site, role, language):
    client = signed_in(site.users[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    known = KnownTexts([*record_texts(), *own_texts(language)])
    found = []
    for address in addresses(site):
        if address.is_file or address.name in DRAWN:
            continue
        response = client.get(address.url)
        if not response.get("Content-Type", "").startswith("text/html") or not response.content.strip():
            continue  # a file, a redirect, a refused method
        page_language, text = visible_text(response.content.decode())
        if page_language != language:
            found.append(f"{address.url} ({response.status_code}): says it is in {page_language!r}")
            continue
        found.extend(f"{address.url} ({response.status_code}): {leak}" for leak in leaks(text, language, known))
    assert not found, "\n".join(found)


# The reading of a page itself


def test_the_visible_text_leaves_out_scripts_styles_and_what_another_language_marks():
    html = (
        '<html lang="en"><head><title>Tasks</title><style>.next{}</style></head><body>'
        '<script>var previous = 1;</script><img src="x.png" alt="Chart of tasks">'
        '<button lang="vi" title="Tiếng Việt">VI</button><input type="submit" value="Apply filters">'
        '<p><a href="/" data-note="hidden words">Next  <mark>page</mark></a><br>of tasks</p></body></html>'
    )
    language, text = visible_text(html)
    assert language == "en"
    assert text.splitlines() == ["tasks", "chart of tasks", "apply filters", "next page", "of tasks"]


def test_a_phrase_is_whole_words_between_placeholders():
    assert phrases("%(count)s tasks match: a PDF holds at most %(limit)s.") == ["tasks match: a PDF holds at most"]
    assert phrases("Task sheet") == ["Task sheet"]
    assert phrases("Tasks") == []
    assert whole_words_in("lead agency", "the lead agency's staff")
    assert not whole_words_in("lead agency", "misleading agency")


def test_a_phrase_inside_a_known_text_is_that_texts():
    known = KnownTexts(["mô hình trồng nấm sò"])
    assert blank_out("nv-01 – mô hình trồng nấm sò\nmô hình", "mô hình", known) == "nv-01 – \n\nmô hình"
    assert blank_out("quá hạn mô hình trồng…", "mô hình", known) == "quá hạn \n…"
    assert blank_out("mô hình trồng lúa", "mô hình", known) == "mô hình trồng lúa"
