from django import template

from portal.formatting import vnd

register = template.Library()

register.filter("vnd", vnd)  # {{ amount|vnd }}: whole đồng grouped by dots (135.000)
