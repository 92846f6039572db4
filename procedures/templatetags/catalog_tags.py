from django import template

from portal.formatting import vnd
from procedures.addresses import address_lines

register = template.Library()

register.filter("vnd", vnd)  # {{ amount|vnd }}: whole đồng grouped by dots (135.000)
register.filter("address_lines", address_lines)  # {{ address|address_lines|join:", " }}: street → province
