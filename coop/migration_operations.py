"""Migration operations that only PostgreSQL understands, and that do nothing elsewhere.

SQLite is the embedded default for a first run; it has no trigram indexes and
does not need them at demo size.
"""

from django.db import migrations


class TrigramIndex(migrations.operations.base.Operation):
    """A GIN trigram index on `search_text`, so `LIKE '%word%'` search stays fast on PostgreSQL.

    Needs the `pg_trgm` extension (`django.contrib.postgres.operations.TrigramExtension`).
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str, column: str = "search_text"):
        self.model_name = model_name
        self.column = column

    def index_name(self, table: str) -> str:
        return f"{table}_{self.column}_trgm"[:63]

    def state_forwards(self, app_label, state):
        pass  # the index lives outside Django's model state

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = to_state.apps.get_model(app_label, self.model_name)._meta.db_table
        quote = schema_editor.quote_name
        index, table, column = quote(self.index_name(table)), quote(table), quote(self.column)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({column} gin_trgm_ops)")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = from_state.apps.get_model(app_label, self.model_name)._meta.db_table
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.index_name(table))}")

    def describe(self):
        return f"Create a trigram index on {self.model_name}.{self.column} (PostgreSQL only)"

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.model_name], {"column": self.column})
