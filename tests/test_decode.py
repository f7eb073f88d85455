"""Bytes to text: one decoder for every entry point (corpus reading, `newsprism clean`, evaluation, HTML)."""

from __future__ import annotations

import codecs
import gzip

import pytest

from newsprism.decode import (
    NotUtf8Error,
    declared_charset,
    decode,
    detect_encoding,
    gunzip,
    is_html,
    read_text,
    utf8_lines,
)

CAFE = "Le café est très bon — “vraiment”, dit-il."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + CAFE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + CAFE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + CAFE.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + CAFE.encode("utf-32-le"), "utf-32-le"),  # its mark starts with UTF-16-LE's
        (codecs.BOM_UTF32_BE + CAFE.encode("utf-32-be"), "utf-32-be"),
        (CAFE.encode("utf-8"), "utf-8"),
        (CAFE.encode("utf-16-le"), "utf_16_le"),  # no mark: the NUL bytes give it away
        (CAFE.encode("cp1252"), "cp1252"),
    ],
)
def test_marks_and_unicode_encodings(data: bytes, encoding: str) -> None:
    assert decode(data) == CAFE  # the mark is dropped
    assert detect_encoding(data) == encoding


@pytest.mark.parametrize("text", ["café", "naïve résumé — “quoted” text, €5", "Straße München Grüße"])
def test_short_windows_1252_text_is_read_as_windows_1252(text: str) -> None:
    # on text this short the detector alone reads "café" as UTF-16 and "naïve" as cp775
    assert decode(text.encode("cp1252")) == text


def test_latin_1() -> None:
    text = "Ça coûte 5 £ à Zürich, déjà vu."
    assert decode(text.encode("latin-1")) == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Правительство объявило в среду о новых мерах, направленных на сокращение расходов.", "cp1251"),
        ("Η κυβέρνηση ανακοίνωσε την Τετάρτη νέα μέτρα για τη μείωση των δαπανών.", "cp1253"),
    ],
)
def test_other_legacy_encodings_are_detected(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)) == text


def test_gzip_is_undone_before_decoding(tmp_path) -> None:
    data = gzip.compress(CAFE.encode("cp1252"))
    assert gunzip(data) == CAFE.encode("cp1252")
    assert decode(data) == CAFE
    path = tmp_path / "a.txt.gz"
    path.write_bytes(data)
    assert read_text(path) == CAFE
    assert gunzip(b"\x1f\x8bnot gzip") == b"\x1f\x8bnot gzip"  # a corrupt stream is left as it is


def test_a_declared_charset_is_used_when_the_bytes_are_not_utf8() -> None:
    page = '<html><head><meta charset="iso-8859-2"></head><body><p>Vláda ve středu oznámila opatření.</p></body></html>'
    assert decode(page.encode("iso-8859-2")) == page
    # browsers read the label iso-8859-1 as windows-1252: 0x92 is a right quote, not a control character
    latin = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>It’s here</p>'
    assert declared_charset(latin.encode("cp1252")) == "cp1252"
    assert decode(latin.encode("cp1252")) == latin
    # valid UTF-8 wins over a stale declaration
    assert decode(latin.encode("utf-8")) == latin
    assert declared_charset(b'<?xml version="1.0" encoding="windows-1251"?>') == "cp1251"
    assert declared_charset(b"<meta charset=no-such-charset>") is None


def test_html_by_name_or_content() -> None:
    assert is_html("page.HTML.gz", "") and is_html("a.xhtml", "plain")
    assert is_html("a.txt", "<!DOCTYPE html><html><head><title>T</title></head><body></body></html>")
    assert not is_html("a.txt", "A plain article that mentions <b> once.")


def test_utf8_lines_name_the_line_that_is_not_utf8() -> None:
    data = codecs.BOM_UTF8 + b'{"a": 1}\r\n{"b": "caf\xe9"}\n'
    lines = utf8_lines(data)
    assert next(lines) == (1, '{"a": 1}')
    with pytest.raises(NotUtf8Error, match="line 2, column 11: byte 0xe9 is not UTF-8") as info:
        next(lines)
    assert (info.value.line_no, info.value.column, info.value.byte) == (2, 11, 0xE9)


@pytest.mark.parametrize("data", [b"", b"\x00", b"\xff\xfe", b"\x00\x00\xfe\xff\x00", bytes(range(256)) * 3])
def test_odd_bytes_never_raise(data: bytes) -> None:
    assert isinstance(decode(data), str)
