"""Bytes to text, for every input newsprism reads: corpus files (`newsprism run`), `newsprism clean`, the
cleaning evaluation and the HTML parser all decode here, so one file reads the same everywhere.

The order, first match wins:

1. gzip (by its magic bytes) is undone;
2. a byte-order mark names the encoding (UTF-32 before UTF-16: their little-endian marks share a prefix);
3. bytes that are valid UTF-8 are UTF-8 (ASCII included);
4. NUL bytes without a mark: UTF-16 or UTF-32, when charset-normalizer finds one that fits;
5. a declared charset (`<meta charset=...>`, `<meta http-equiv... content="...; charset=...">`, an XML
   declaration) that decodes the bytes; the labels `iso-8859-1`, `latin1` and `us-ascii` mean Windows-1252,
   as browsers read them (WHATWG Encoding);
6. charset-normalizer's best guess, unless Windows-1252 (Latin-1 when a byte is undefined in it) reads
   about as cleanly: on short Western text the detector cannot tell cp1252 from its neighbours and picks
   an arbitrary one ("café" comes back as UTF-16), so the web's most common legacy encoding wins ties;
7. Windows-1252, else Latin-1, which decodes any bytes.

    >>> decode("café".encode("cp1252"))
    'café'
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import unicodedata
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

__all__ = [
    "NotUtf8Error",
    "declared_charset",
    "decode",
    "decode_detected",
    "detect_encoding",
    "gunzip",
    "is_html",
    "looks_binary",
    "looks_like_html",
    "read_text",
    "utf8_line_at",
    "utf8_lines",
    "utf8_lines_at",
    "utf8_lines_or_errors",
]

BINARY_SHARE = 0.02  # `looks_binary`: above this share of non-text characters, a document is binary
_NOT_TEXT = {"Cc", "Cn", "Co", "Cs"}
WESTERN_TOLERANCE = 0.1  # cp1252 wins when its mess ratio is within this of the detector's best guess
_SAMPLE = 65536  # bytes of the document scored for the cp1252 tie-break (the detector samples too)

_BOMS = (  # longest first: the UTF-32-LE mark starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WIDE = ["utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be", "utf_16", "utf_32"]
# labels a browser reads as windows-1252 (WHATWG Encoding, "windows-1252" labels)
_AS_CP1252 = frozenset(
    {
        "ascii",
        "us-ascii",
        "iso-8859-1",
        "iso8859-1",
        "iso_8859-1",
        "latin1",
        "latin-1",
        "l1",
        "iso-ir-100",
        "cp819",
        "ibm819",
        "windows-1252",
        "cp1252",
        "x-cp1252",
        "iso88591",
    }
)
_DECLARED = re.compile(
    rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([\w.:-]{2,40})|<\?xml[^>]{0,100}?encoding\s*=\s*[\"']([\w.:-]{2,40})",
    re.I,
)
_HTML_NAME = re.compile(r"\.(?:html?|xhtml|shtml)(?:\.gz)?$", re.I)
_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|div|p|article|meta|title)\b", re.I)


class NotUtf8Error(ValueError):
    """A line of a file that must be UTF-8 (JSON Lines) is not; `line_no` and `column` are 1-based."""

    def __init__(self, line_no: int, column: int, byte: int) -> None:
        super().__init__(f"line {line_no}, column {column}: byte 0x{byte:02x} is not UTF-8")
        self.line_no, self.column, self.byte = line_no, column, byte


def gunzip(data: bytes) -> bytes:
    """Gzip bytes decompressed; anything else (or a corrupt stream) returned as is."""
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, ValueError, zlib.error):
            return data
    return data


def declared_charset(data: bytes) -> str | None:
    """The encoding the document declares in its first 8 KB (meta charset, XML declaration) as a Python codec
    name, mapped as browsers map it (`iso-8859-1` is windows-1252); None when none or unknown."""
    m = _DECLARED.search(data[:8192])
    if not m:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii", errors="ignore").strip().lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def detect_encoding(data: bytes) -> str:
    """The Python codec that `decode` reads these bytes with (after undoing gzip)."""
    return _decode(gunzip(data))[1]


def decode(data: bytes) -> str:
    """Text of a document's bytes (gzip undone, encoding detected as the module docstring says); never raises.

    A byte-order mark is dropped; malformed sequences in a marked UTF-16/32 file become U+FFFD.
    """
    return _decode(gunzip(data))[0]


def decode_detected(data: bytes) -> tuple[str, str]:
    """`decode`'s text and the Python codec it was read with (`detect_encoding`), from one pass."""
    return _decode(gunzip(data))


def read_text(path: str | Path) -> str:
    """`decode` of a file's bytes."""
    return decode(Path(path).read_bytes())


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:_SAMPLE]:
        wide = from_bytes(data, cp_isolation=_WIDE, preemptive_behaviour=False).best()
        if wide is not None:
            return str(wide), wide.encoding
    declared = declared_charset(data)
    if declared is not None:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    western, western_encoding = _western(data)
    matches = from_bytes(data, cp_exclusion=_WIDE, preemptive_behaviour=False)
    best = matches.best()
    if best is None or best.encoding == western_encoding:
        return western, western_encoding
    # the detector's score of the cp1252 reading when one of its candidates reads the same, else measured
    same = next((m for m in matches if western_encoding in m.could_be_from_charset), None)
    chaos = same.chaos if same is not None else mess_ratio(western[:_SAMPLE], maximum_threshold=1.0)
    if chaos <= best.chaos + WESTERN_TOLERANCE:
        return western, western_encoding
    return str(best), best.encoding


def _western(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d are undefined in cp1252
        return data.decode("latin-1"), "latin_1"


def looks_like_html(text: str) -> bool:
    """Whether text starts like markup: an HTML element among its first 4 KB and a few tags."""
    head = text[:4096]
    return bool(_HTML_SNIFF.search(head)) and head.count("<") >= 3


def is_html(name: str, text: str) -> bool:
    """Whether a document is HTML: by its file name (.html, .htm, .xhtml, .shtml, optionally .gz) or content."""
    return bool(_HTML_NAME.search(name or "")) or looks_like_html(text)


def utf8_lines(data: bytes) -> Iterator[tuple[int, str]]:
    """(1-based line number, text) of each line of UTF-8 bytes (a leading BOM dropped; gzip undone); a line
    that is not UTF-8 raises `NotUtf8Error` naming it. For formats that are UTF-8 by definition (JSON Lines)."""
    for line_no, line in utf8_lines_or_errors(data):
        if isinstance(line, NotUtf8Error):
            raise line
        yield line_no, line


def utf8_lines_or_errors(data: bytes) -> Iterator[tuple[int, str | NotUtf8Error]]:
    """As `utf8_lines`, but a line that is not UTF-8 is yielded as its `NotUtf8Error` (the next lines follow)."""
    for line_no, _, line in utf8_lines_at(io.BytesIO(gunzip(data))):
        yield line_no, line


def utf8_lines_at(stream: BinaryIO) -> Iterator[tuple[int, int, str | NotUtf8Error]]:
    """(1-based line number, byte offset, text) of each line of a stream of UTF-8 bytes, read a line at a time
    (a leading BOM dropped); a line that is not UTF-8 is yielded as its `NotUtf8Error`. Lines end where
    `bytes.splitlines` ends them (\\n, \\r\\n or \\r); `utf8_line_at(stream, offset)` reads one again."""
    line_no = offset = 0
    for chunk in stream:  # each ends at b"\n"
        start, offset = offset, offset + len(chunk)
        if start == 0 and chunk.startswith(codecs.BOM_UTF8):
            chunk, start = chunk[len(codecs.BOM_UTF8) :], len(codecs.BOM_UTF8)
        for raw in chunk.splitlines(keepends=True):
            line_no += 1
            yield line_no, start, _utf8(line_no, raw.rstrip(b"\r\n"))
            start += len(raw)


def utf8_line_at(stream: BinaryIO, offset: int) -> str:
    """The line of a UTF-8 stream that starts at byte `offset` (an offset `utf8_lines_at` gave)."""
    stream.seek(offset)
    line = _utf8(0, (stream.readline().splitlines() or [b""])[0])
    if isinstance(line, NotUtf8Error):
        raise line
    return line


def _utf8(line_no: int, raw: bytes) -> str | NotUtf8Error:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return NotUtf8Error(line_no, exc.start + 1, raw[exc.start])


def looks_binary(text: str) -> bool:
    """Whether decoded text is really binary data: more than `BINARY_SHARE` of its first 64 K characters are
    control characters (other than whitespace), replacement characters, or unassigned/private/surrogate
    code points. Text in any language stays far below that."""
    sample = text[:_SAMPLE]
    if not sample:
        return False
    odd = sum(
        1 for ch in sample if ch == "\ufffd" or (unicodedata.category(ch) in _NOT_TEXT and ch not in "\t\n\r\f\v")
    )
    return odd / len(sample) > BINARY_SHARE
