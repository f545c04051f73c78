"""Messages of Django itself that its Vietnamese catalogue does not translate yet.

Django reworded a few messages and its `vi` catalogue has not caught up, so users would meet
them in English. Listing them here puts them in the project's catalogue (makemessages finds
them in this file), which Django consults before its own (LOCALE_PATHS come first).
tests/coop/test_login_protection.py checks that each shows in Vietnamese.
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
