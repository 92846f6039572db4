from django import template
from django.contrib.messages import constants

register = template.Library()

# Debug messages have no style of their own and read as plain information.
_ALERT_CLASSES = {
    constants.SUCCESS: "alert-success",
    constants.WARNING: "alert-warning",
    constants.ERROR: "alert-error",
}


@register.filter
def alert_class(level: int) -> str:
    return _ALERT_CLASSES.get(level, "alert-info")
