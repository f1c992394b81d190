from django import template

from home.privacy import current_policy

register = template.Library()


@register.simple_tag
def privacy_policy():
    """The published privacy policy ({"url", "title", ...}) for links, or None."""
    return current_policy()
