"""`{% table_rows table %}`: the rows of a table's page, for templates/coop/table.html."""

from django import template

from coop.tables import table_rows_html

register = template.Library()


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    return table_rows_html(table, context)
