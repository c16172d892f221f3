"""Bytes -> text: encodings, line ends, and refusing what is not a text export."""

from __future__ import annotations

import pytest

from pipeline.convert.sourcefile import decode, read_source
from pipeline.errors import InputError

TEXT = "July 16, 1952\n\nТелеграмма товарищу СТАЛИНУ\n"


def test_utf8_is_read_as_is():
    src = decode(TEXT.encode("utf-8"), "a.txt")
    assert src.text == TEXT and src.encoding == "utf-8" and not src.problems


def test_bom_is_dropped():
    src = decode(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "a.txt")
    assert src.text == TEXT and not src.problems


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(codec):
    src = decode(TEXT.encode(codec), "a.txt")
    assert src.text == TEXT


def test_crlf_and_cr_become_lf():
    assert decode(b"a\r\nb\rc\n", "a.txt").text == "a\nb\nc\n"


def test_cp1251_is_read_with_a_warning():
    src = decode(TEXT.encode("cp1251"), "old.txt")
    assert src.text == TEXT
    [p] = src.problems
    assert p.severity == "warning" and p.code == "encoding" and p.line == 3
    assert p.format().startswith("old.txt:3: warning [encoding]")


@pytest.mark.parametrize("data", [b"", b"   \n\n\t \n"])
def test_empty_is_refused(data):
    with pytest.raises(InputError) as e:
        decode(data, "empty.txt")
    assert e.value.problem.code == "empty"
    assert "empty.txt:1" in e.value.problem.format()


def test_binary_is_refused_with_its_line():
    data = b"July 16, 1952\nTitle\n\x89PNG\x00\x00\x01\x02\x03"
    with pytest.raises(InputError) as e:
        decode(data, "scan.png")
    assert e.value.problem.code == "binary" and e.value.problem.line == 3


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError) as e:
        read_source(tmp_path / "nope.txt")
    assert e.value.problem.code == "unreadable"
    with pytest.raises(InputError):
        read_source(tmp_path)
