"""The years a record of the application may be dated in, for every app's models, forms and filters."""

# A year outside these is a typing error. 1945: the Democratic Republic of Viet Nam was proclaimed on
# 2/9/1945, and no programme, task or funding of the Vietnamese state is older than the state itself;
# 2100: far past the end of any programme, its orientation year included. The database constraints
# use them too: changing one needs a new migration (makemigrations writes it).
FIRST_YEAR = 1945
LAST_YEAR = 2100
