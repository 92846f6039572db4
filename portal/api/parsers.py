"""Request parsers that refuse hostile bodies before anything deeper sees them.

Size is bounded already: DRF reads JSON and form bodies through `request.body`, which raises
RequestDataTooBig past DATA_UPLOAD_MAX_MEMORY_SIZE. Depth is not: `json.loads` recurses once per
level and a few thousand brackets raise RecursionError, so the nesting is measured on the raw
bytes first, in one pass.
"""

import io
import re

from django.utils.translation import gettext as _
from rest_framework import parsers

from portal.api.refusals import ERR_JSON_TOO_DEEP, unsafe_input
from portal.errors import ServiceError
from portal.text import unsafe_json_field

# Deeper than any form or address the portal takes, far below the interpreter's recursion limit.
MAX_JSON_DEPTH = 32

_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_OPENING = frozenset(b"[{")


def json_nesting_exceeds(raw: bytes, limit: int) -> bool:
    """Whether arrays and objects in `raw` nest deeper than `limit` (brackets inside strings ignored)."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        depth += 1 if byte in _OPENING else -1
        if depth > limit:
            return True
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser behind a depth limit, refusing NUL and lone surrogates anywhere in it."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        if json_nesting_exceeds(raw, MAX_JSON_DEPTH):
            raise ServiceError(_(ERR_JSON_TOO_DEEP).format(limit=MAX_JSON_DEPTH), code="too_deep")
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        field = unsafe_json_field(data)
        if field is not None:
            raise unsafe_input(field or "body")
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser refusing NUL in field names and values (file contents are not text)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        for name, values in parsed.data.lists():
            if unsafe_json_field({name: values}) is not None:
                raise unsafe_input(name)
        return parsed
