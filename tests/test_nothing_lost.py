"""Nothing lost: the diplomatic text of every converted record equals its source body.

The diplomatic text is ``xslt/diplomatic.xsl`` run over the TEI (editorial brackets,
letter-spacing and the export's Markdown restored). Both sides are compared after
:func:`pipeline.render.diplomatic.normalise`: Markdown backslash escapes dropped ("\\*" is
"*"), runs of white space made one space. Nothing else is normalised.
"""

from __future__ import annotations

import pytest

from benchmarks.fuzz import first_difference
from pipeline.convert.reader import read_record
from pipeline.convert.sourcefile import read_source
from pipeline.render.diplomatic import diplomatic, normalise
from tests._corpus import ALL_SOURCES, conversion, convert, truncated_variants


@pytest.mark.parametrize("source", ALL_SOURCES, ids=lambda p: p.name)
def test_diplomatic_text_equals_the_source_body(source):
    body = read_record(read_source(source).text, str(source)).body
    got = diplomatic(conversion(source).tei)
    a, b = normalise(body), normalise(got)
    assert a == b, first_difference(a, b)


def test_normalisation_is_minimal():
    assert normalise("a  \n\n b\t\\* \\_\\_ c") == "a b * __ c"
    assert normalise("[...]") == "[...]"


@pytest.mark.parametrize("name, text", truncated_variants(), ids=lambda x: x if len(x) < 40 else "")
def test_half_formed_records_lose_nothing(name, text):
    body = read_record(text, name).body
    a, b = normalise(body), normalise(diplomatic(convert(text, name).tei))
    assert a == b, first_difference(a, b)
