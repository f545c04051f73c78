"""Messages of Django itself that the project translates into Vietnamese in its own words.

Listing them here puts them in the project's catalogue (makemessages finds them in this file), which
Django consults before its own (LOCALE_PATHS come first). Two kinds:

- messages Django reworded and its `vi` catalogue has not caught up with, so users would meet them in
  English; tests/coop/test_login_protection.py checks that each shows in Vietnamese;
- the validators' messages, which every form shows on a number or a text out of range: Django's `vi`
  catalogue words them clumsily and with a stray space before the full stop ("Đảm bảo giá trị này lớn
  hơn hoặc bằng với 0 ."). tests/coop/test_translations.py checks them, tests/crawl/test_page_language.py
  that Django's wording shows on no page.
"""

from django.utils.translation import gettext_lazy, ngettext_lazy

UNTRANSLATED_BY_DJANGO = [
    # django.contrib.auth.password_validation.MinimumLengthValidator
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    # django.core.validators.ProhibitNullCharactersValidator (every text field of every form)
    gettext_lazy("Null characters are not allowed."),
]

# django.core.validators and django.forms.fields, word for word as Django writes them.
VALIDATORS_WORDED_AGAIN = [
    gettext_lazy("Ensure this value is %(limit_value)s (it is %(show_value)s)."),
    gettext_lazy("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_lazy("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_lazy("Ensure this value is a multiple of step size %(limit_value)s."),
    gettext_lazy(
        "Ensure this value is a multiple of step size %(limit_value)s, "
        "starting from %(offset)s, e.g. %(offset)s, %(valid_value1)s, "
        "%(valid_value2)s, and so on."
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "max",
    ),
]
