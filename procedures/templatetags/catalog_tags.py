from django import template

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """Whole đồng grouped by dots (135.000), as Vietnamese fee schedules print them.

    Django's `vi` locale sets no number grouping, so `intcomma` would print 135000.
    """
    return f"{int(amount):,}".replace(",", ".")
