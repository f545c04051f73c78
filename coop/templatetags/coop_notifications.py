"""`{{ notification.body|body_blocks }}`: a notification's text as paragraphs and lists, for pages and e-mails."""

from django import template

from coop.notifications import body_blocks as split_into_blocks

register = template.Library()


@register.filter
def body_blocks(text):
    """The paragraphs (`kind` "paragraph") and lists (`kind` "list") of a plain-text body, each with its `lines`."""
    return split_into_blocks(text)
