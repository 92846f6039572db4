"""How far a PDF's streams unpack, counted against one budget without keeping what was unpacked.

A PDF of a few hundred kilobytes can carry a stream that inflates to gigabytes: whoever decodes
it (this check, a viewer, a text extractor) pays in memory. Flate, by far the commonest filter
and the one with the steepest ratio, is counted through zlib in small pieces that are thrown
away. Rarer chains (LZW, run-length, ASCII encodings) are decoded by pypdf with its output caps
lowered to what is left of the budget. Image codecs (DCT, JPX, CCITT, JBIG2) are not decoded
here: what reaches them is counted as it stands.
"""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from pypdf import PdfReader, apply_configuration, get_configuration
from pypdf.filters import ASCII85Decode, ASCIIHexDecode, FlateDecode, LZWDecode, RunLengthDecode
from pypdf.generic import ArrayObject, DictionaryObject, NullObject, PdfObject, StreamObject

INFLATE_PIECE = 64 * 1024
FLATE_NAMES = frozenset({"/FlateDecode", "/Fl"})
DECODERS = {
    "/FlateDecode": FlateDecode.decode,
    "/Fl": FlateDecode.decode,
    "/LZWDecode": LZWDecode.decode,
    "/LZW": LZWDecode.decode,
    "/ASCIIHexDecode": lambda data, parameters: ASCIIHexDecode.decode(data),
    "/AHx": lambda data, parameters: ASCIIHexDecode.decode(data),
    "/ASCII85Decode": lambda data, parameters: ASCII85Decode.decode(data),
    "/A85": lambda data, parameters: ASCII85Decode.decode(data),
    "/RunLengthDecode": lambda data, parameters: RunLengthDecode.decode(data),
    "/RL": lambda data, parameters: RunLengthDecode.decode(data),
}
# pypdf's own per-stream caps on what one decoder may output.
PYPDF_OUTPUT_CAPS = (
    "zlib_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "brotli_maximum_output_length",
    "jbig2_maximum_output_length",
    "array_based_stream_maximum_output_length",
)


class InflationLimitExceeded(Exception):
    pass


class InflationBudget:
    def __init__(self, limit: int):
        self.limit = limit
        self.spent = 0

    @property
    def remaining(self) -> int:
        return self.limit - self.spent

    def spend_stream(self, stream: StreamObject) -> None:
        self.spent += _decoded_size(stream, self.remaining)
        if self.spent > self.limit:
            raise InflationLimitExceeded

    def spend_object_streams(self, reader: PdfReader) -> None:
        """Object streams hold compressed objects: count them before pypdf unpacks one to reach an object."""
        for number in sorted({location[0] for location in reader.xref_objStm.values()}):
            stream = reader.get_object(number)
            if isinstance(stream, StreamObject):
                self.spend_stream(stream)


@contextmanager
def pypdf_capped_at(limit: int) -> Iterator[None]:
    """Lower pypdf's caps for whatever it decodes itself (cross-reference and object streams) to the budget."""
    current = get_configuration()
    with apply_configuration(**{cap: min(getattr(current, cap), limit) for cap in PYPDF_OUTPUT_CAPS}):
        yield


def _decoded_size(stream: StreamObject, allowance: int) -> int:
    """Bytes the stream's general-purpose filters produce, counted up to a little past the allowance."""
    steps = _general_filters(stream)
    data = stream._data  # the raw bytes as stored; pypdf has no public name for them
    for position, (name, parameters) in enumerate(steps):
        if name in FLATE_NAMES and position == len(steps) - 1:
            return _inflated_size(data, allowance)
        with pypdf_capped_at(allowance + 1):
            data = DECODERS[name](data, parameters)
        if len(data) > allowance:
            break
    return len(data)


def _general_filters(stream: StreamObject) -> list[tuple[str, DictionaryObject]]:
    """The stream's filters with their parameters, up to the first one this module does not decode."""
    names = _as_list(stream.get("/Filter"))
    parameter_list = _as_list(stream.get("/DecodeParms"))
    steps = []
    for index, name in enumerate(names):
        if name not in DECODERS:
            break
        parameters = parameter_list[index] if index < len(parameter_list) else None
        steps.append((str(name), parameters if isinstance(parameters, DictionaryObject) else DictionaryObject()))
    return steps


def _as_list(value: PdfObject | None) -> list:
    value = value.get_object() if value is not None else None
    if value is None or isinstance(value, NullObject):
        return []
    items = value if isinstance(value, ArrayObject) else [value]
    return [item.get_object() for item in items]


def _inflated_size(data: bytes, allowance: int) -> int:
    """Inflate in small pieces, keeping only the count; stop once past the allowance or at damaged data."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip header, as pypdf's fallback accepts
    size = 0
    pending = data
    try:
        while not inflater.eof and size <= allowance:
            piece = inflater.decompress(pending, INFLATE_PIECE)
            pending = inflater.unconsumed_tail
            if not piece and not pending:
                break  # input used up: a truncated stream ends here for every reader
            size += len(piece)
    except zlib.error:
        pass  # readers stop at the damage too; what came out before it is counted
    return size
