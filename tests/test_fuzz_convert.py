"""Property-based: any record of the archive's grammar, mutated the way travelling files
are, converts to valid TEI that loses nothing, the same bytes every time -- or is
refused cleanly with one message.

The records come from ``benchmarks/generator.py`` (header lines, the citation with
archive, fond, opis, delo and sheets, transmission lines, dates in many styles, names,
embedded telegrams, distribution lists), the mutations from ``benchmarks/fuzz.py``
(control characters, U+FFFE, superscript and non-ASCII digits, capitals, "2,Molotov",
"1,000", "---", empty sections, truncation, stray brackets, rules, odd URLs, ...). A
case is a few integers, so hypothesis shrinks a failure to the smallest record and
mutation that shows it, and prints ``case_text(...)`` to reproduce it.

CI runs the ``ci`` profile (150 examples, derandomized: the same cases on every run);
``HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz_convert.py`` runs 10,000
random ones, and ``python -m benchmarks fuzz -n 10000`` counts outcomes over a long
run instead of stopping at the first failure (docs/convert.md).
"""

from __future__ import annotations

from functools import lru_cache

from hypothesis import example, given, note
from hypothesis import strategies as st

from benchmarks.fuzz import MUTATIONS, Checker, case_text

#: The sizes the generator's records come in (paragraphs of the body).
SIZES = (1, 2, 3, 4, 6, 9, 14)

mutation = st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10**6), st.integers(0, 10**6))
cases = st.tuples(st.integers(0, 2**32 - 1), st.sampled_from(SIZES),
                  st.lists(mutation, max_size=4))


@lru_cache(maxsize=1)
def checker() -> Checker:
    return Checker()


@given(cases)
# the known failures of issue 13, each kept as an example that always runs
@example((2337446730, 3, [("url-digit", 635017, 13807)]))      # URL ending in a digit of
@example((4090575483, 6, [("url-digit", 38031, 804696)]))      # another script
@example((861674412, 6, [("capitals", 438741, 731436)]))       # a record in capitals
@example((2003039692, 2, [("digits", 849005, 891403)]))        # non-ASCII copy counts
@example((2360647895, 4, [("dashes", 665699, 158987)]))        # "---" in a holding
@example((3400205000, 14, [("control", 511182, 659142)]))      # a control character
@example((3329654166, 1, [("nonchar", 71740, 506266)]))        # U+FFFE
@example((3105430876, 14, [("comma-no-space", 45048, 391406)]))  # "Vyshinsky,Sokolovsky"
@example((2782519590, 4, [("empty-section", 283589, 962080)]))  # "Copies:" and nothing
@example((5, 14, [("quotes", 40, 1)]))                         # quotations never closed
@example((3185440788, 9, [("capitals", 243873, 736796)]))      # "B)" among "a)", "c)"
@example((492223825, 4, [("url-chars", 311414, 564412),        # a rule the only "text"
                         ("url-digit", 296072, 91187),          # before the closer
                         ("dup-line", 197809, 940820), ("dashes", 963467, 406956)]))
@example((199, 2, [("rule", 68, 0)]))                          # and in the archival div
def test_any_record_converts_to_valid_lossless_deterministic_tei(case):
    text = case_text(*case)
    note(f"case_text{case!r}")
    outcome = checker().check(text, "fuzz.txt")
    assert not outcome.failures, "\n".join(f"{k}: {d}" for k, d in outcome.failures)
