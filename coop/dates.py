"""The years a record of the application may be dated in, for every app's models, forms and filters."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# A year outside these is a typing error. 1945: the Democratic Republic of Viet Nam was proclaimed on
# 2/9/1945, and no programme, task or funding of the Vietnamese state is older than the state itself;
# 2100: far past the end of any programme, its orientation year included. The database constraints
# use them too: changing one needs a new migration (makemigrations writes it).
FIRST_YEAR = 1945
LAST_YEAR = 2100
YEAR_OUT_OF_RANGE = format_lazy(_("The year must be between {first} and {last}."), first=FIRST_YEAR, last=LAST_YEAR)
