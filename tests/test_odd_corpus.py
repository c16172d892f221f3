"""Third-party ODDs: teipipe's compiled schemas give the official toolchain's verdicts.

``shared/odd-corpus`` holds 13 published ODDs, each with the RELAX NG the TEI
Consortium's processors (TEIC/Stylesheets odd2odd + odd2relax) compile from it and
22-37 TEI files with jing's verdict against that schema. Every ODD is compiled by
teipipe (as a third-party ODD: lenient, warnings), its RELAX NG loaded as the
validator loads it, and every file judged. docs/schema.md lists the figures and
explains each disagreement.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import xmlsafe
from pipeline.errors import InputError
from pipeline.validate import odd

#: the agreement the compiler must reach over the whole corpus (issue 11)
FLOOR = 0.99

#: disagreements investigated and explained in docs/schema.md
KNOWN = {
    # the official odd2relax (Stylesheets 7.58.0a) drops correspAction/@type's closed
    # list {sent, received}; teipipe keeps it, as the CMIF SIG's published schema does
    ("cmif", "files/MUT-correspAction-type-bogus__VARIANT-cert-low__example01_basic.xml"),
}


def verdicts(d: Path) -> list[tuple[str, str]]:
    rows = [line.split("\t") for line in (d / "verdicts.tsv").read_text().splitlines() if line]
    return [(r[0], r[1]) for r in rows]


@pytest.fixture(scope="module")
def corpus_results(odd_corpus: Path, tmp_path_factory) -> dict[str, list[tuple[str, str, str]]]:
    """Per ODD: (file, official verdict, teipipe's verdict)."""
    cache = tmp_path_factory.mktemp("odd-cache")
    out: dict[str, list[tuple[str, str, str]]] = {}
    for d in sorted(p for p in odd_corpus.iterdir() if (p / "verdicts.tsv").exists()):
        chain = d / "chain-on.txt"
        # dtabf_ms's @source is a /path/to/file placeholder for the base ODD
        base = (odd_corpus / chain.read_text().strip() / f"{chain.read_text().strip()}.odd"
                if chain.exists() else None)
        compiled = odd.compile_cached(d / f"{d.name}.odd", base=base, cache=cache)
        from lxml import etree

        rng = odd.load_relaxng(etree.fromstring(compiled.rng))
        rows = []
        for name, official in verdicts(d):
            try:
                ok = rng.validate(xmlsafe.parse(d / name))
            except InputError:
                ok = False
            rows.append((name, official, "valid" if ok else "invalid"))
        out[d.name] = rows
    return out


def test_every_corpus_odd_compiles_and_agrees(corpus_results):
    lines, total, agree, unexplained = [], 0, 0, []
    for name, rows in corpus_results.items():
        same = sum(official == ours for _, official, ours in rows)
        lines.append(f"{name:16} {same:3}/{len(rows):3}")
        total += len(rows)
        agree += same
        unexplained += [(name, f, o, u) for f, o, u in rows
                        if o != u and (name, f) not in KNOWN]
    lines.append(f"{'all':16} {agree:3}/{total:3} = {agree / total:.2%}")
    print("\n" + "\n".join(lines))
    assert len(corpus_results) == 13
    assert agree / total >= FLOOR, "\n".join(lines + [str(u) for u in unexplained])


def test_known_disagreements_are_still_the_ones_explained(corpus_results):
    # a known case that starts agreeing means docs/schema.md must be updated
    for name, f in KNOWN:
        row = next(r for r in corpus_results[name] if r[0] == f)
        assert row[1] != row[2], (name, f)


def test_the_compiled_cache_is_reused(odd_corpus, tmp_path, monkeypatch):
    cmif = odd_corpus / "cmif" / "cmif.odd"
    first = odd.compile_cached(cmif, cache=tmp_path)
    calls = []
    monkeypatch.setattr(odd, "compile_odd", lambda *a, **k: calls.append(a))
    again = odd.compile_cached(cmif, cache=tmp_path)
    assert calls == [] and again.rng == first.rng and again.elements == first.elements


def test_a_changed_odd_is_compiled_again(odd_corpus, tmp_path):
    cmif = tmp_path / "cmif.odd"
    cmif.write_bytes((odd_corpus / "cmif" / "cmif.odd").read_bytes())
    k1 = odd.cache_key(cmif)
    cmif.write_bytes(cmif.read_bytes().replace(b"</TEI>", b"<!-- edited --></TEI>"))
    assert odd.cache_key(cmif) != k1


def test_chained_odd_without_its_base_says_what_to_do(odd_corpus):
    with pytest.raises(odd.OddError, match="--base"):
        odd.compile_odd(odd_corpus / "dtabf_ms" / "dtabf_ms.odd")


def test_chained_odd_follows_a_local_source(odd_corpus, tmp_path):
    # @source relative to the ODD: the base is compiled first, then the chain
    base = tmp_path / "basisformat_all.odd"
    base.write_bytes((odd_corpus / "dtabf_all" / "dtabf_all.odd").read_bytes())
    ms = (odd_corpus / "dtabf_ms" / "dtabf_ms.odd").read_bytes().replace(
        b"/path/to/file/basisformat_all.xml", b"basisformat_all.odd")
    (tmp_path / "ms.odd").write_bytes(ms)
    chained = odd.compile_odd(tmp_path / "ms.odd", strict=False)
    alone = odd.compile_odd(odd_corpus / "dtabf_ms" / "dtabf_ms.odd", strict=False,
                            base=odd_corpus / "dtabf_all" / "dtabf_all.odd")
    assert chained.rng.split(b"\n", 2)[2] == alone.rng.split(b"\n", 2)[2]


def test_compiled_xsd_is_permissive_towards_valid_files(odd_corpus, tmp_path):
    # the XSD approximation must accept what the grammar accepts; CMIF's idno holds a
    # datatype (teidata.pointer) as content, which is text for the XSD too
    from lxml import etree

    d = odd_corpus / "cmif"
    compiled = odd.compile_odd(d / "cmif.odd", strict=False)
    (tmp_path / "xml.xsd").write_bytes(odd.XML_XSD)
    (tmp_path / "cmif.xsd").write_bytes(compiled.xsd)
    xsd = etree.XMLSchema(etree.parse(str(tmp_path / "cmif.xsd")))
    for name, official in verdicts(d):
        if official == "valid" and ("cmif", name) not in KNOWN:
            assert xsd.validate(xmlsafe.parse(d / name)), (name, xsd.error_log.last_error)
    assert b'queryBinding="xslt2"' in (compiled.sch or b'queryBinding="xslt2"')
