"""What a hostile or careless visitor types: Hypothesis strategies for text, numbers, dates and whole requests.

Lone surrogates are left out: a browser cannot send them (they are not valid UTF-8), and
Django's test client could not encode them either.
"""

import string

from hypothesis import strategies as st

# Markup that would run if a page, a PDF or an export showed it unescaped. Each holds `alert(1)`,
# which no template of ours contains, so finding the raw tag in a page means it was not escaped.
MARKUP = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
)
RAW_TAGS = ("<script>alert(1)", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>")

TEMPLATE_AND_FORMAT = ("{{ request.user.password }}", "{% debug %}", "%(name)s %s %d", "{0.__class__}", "${7*7}")
SQL = (
    "' OR '1'='1",
    "1; DROP TABLE tasks_task; --",
    "%' --",
    '" OR ""="',
    "\\",
    "%_%",
    "1) OR (1=1",
)
# What spreadsheets read as formulas, plain and behind a tab or carriage return (OWASP's list).
SPREADSHEET = ("=1+1", "+1+1", "-1+1", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://example.com","x")')
ODD_UNICODE = (
    "e\u0301\u0302\u0303\u0304\u0305",  # a stack of combining marks
    "Z\u0338\u0321\u0322\u031b\u0317a\u0335l\u0336g\u0337o",
    "\u202ebìn hTháI",  # right-to-left override
    "مرحبا بالعالم",
    "שלום",
    "\u200b\u200c\u200d\u2060\ufeff",  # zero-width characters
    "👨\u200d👩\u200d👧\u200d👦 🇻🇳 🏳️\u200d🌈",
    "Ｔｈáｉ Ｂìｎｈ",  # full-width letters
    "\ufb01 \u216b \U0001d57f",  # ligature, roman numeral, mathematical letter
    "\x1b[31m\x07\x08",
    "\u2028\u2029\r\n\t",
    "Thái Bình",
)
NUL = ("\x00", "a\x00b", "Thái\x00Bình")
PAYLOADS = MARKUP + TEMPLATE_AND_FORMAT + SQL + SPREADSHEET + ODD_UNICODE + NUL

NUMBERS = (
    "-1",
    "0",
    "-0",
    str(10**30),
    "99999999999999999999",
    str(2**31),
    str(2**31 - 1),
    str(2**63),
    str(-(2**63) - 1),
    "1e309",
    "1e-309",
    "NaN",
    "Infinity",
    "-inf",
    "1.5",
    "0x1F",
    "1_000",
    "５",  # a full-width digit, which int() reads
    "٣",  # an Arabic-Indic digit
    " 7 ",
    "+7",
    "1,5",
    "1.000.000",
    "",
    " ",
)
DATES = (
    "31/02/2020",
    "29/02/2019",
    "00/00/0000",
    "99/99/9999",
    "01/01/0001",
    "31/12/9999",
    "10/06/20200",
    "2020-06-10",
    "10-06-2020",
    "1/1/1",
    "10/06/-2020",
    "10/06/2020 25:61",
    "１０/０６/２０２０",
    "10/06/" + "9" * 30,
)


def very_long() -> st.SearchStrategy[str]:
    """Some kilobytes up to a hundred: a payload or a letter repeated."""
    return st.builds(
        lambda text, times: text * times,
        st.sampled_from(("a", "đ", "<script>alert(1)</script>", "9", "👨\u200d👩\u200d👧")),
        st.integers(min_value=500, max_value=20_000),
    )


def hostile_text() -> st.SearchStrategy[str]:
    """Anything a text box may receive."""
    return st.one_of(
        st.sampled_from(PAYLOADS),
        st.text(max_size=30),  # every code point but surrogates, NUL and control characters included
        st.builds(
            lambda *parts: "".join(parts), st.sampled_from(PAYLOADS), st.text(max_size=8), st.sampled_from(PAYLOADS)
        ),
        very_long(),
    )


def hostile_number() -> st.SearchStrategy[str]:
    """Anything a number box may receive: negative, overflowing, not a number at all."""
    return st.one_of(
        st.sampled_from(NUMBERS),
        # A thousand digits, and past the 4,300 that int() reads.
        st.sampled_from((1000, 5000)).map(lambda digits: "9" * digits),
        st.integers().map(str),
        st.floats().map(str),
        st.integers(min_value=2**63 - 2, max_value=2**70).map(str),
    )


def hostile_date() -> st.SearchStrategy[str]:
    """Dates that do not exist, in other formats, or at the ends of the calendar."""
    return st.one_of(
        st.sampled_from(DATES),
        st.dates().map(lambda day: f"{day.day:02d}/{day.month:02d}/{day.year:04d}"),
    )


def hostile_value() -> st.SearchStrategy[str]:
    """Any hostile value, for a field whatever its kind."""
    return st.one_of(hostile_text(), hostile_number(), hostile_date())


def either(valid, hostile: st.SearchStrategy | None = None) -> st.SearchStrategy[str]:
    """Sometimes the valid value a field expects, sometimes a hostile one."""
    return st.one_of(st.just(valid), hostile_value() if hostile is None else hostile)


def unknown_params() -> st.SearchStrategy[dict]:
    """Parameters no page knows, with names as hostile as their values."""
    names = st.one_of(st.text(alphabet=string.ascii_letters + "_-[]", min_size=1, max_size=12), st.text(max_size=12))
    return st.dictionaries(names, st.lists(hostile_value(), max_size=2), max_size=2)


def contains_raw_markup(text: str) -> bool:
    """True when one of `MARKUP`'s tags is in `text` as a tag, i.e. not escaped."""
    return any(tag in text for tag in RAW_TAGS)
