"""Who sent each message to whom, measured: the parties the converter reads against those
written down by reading the records (tests/records/correspondence.txt).

Precision and recall are counted over (message, action, party) triples, the actions being
sent, received and transmitted, over every seed and test record listed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from tests._corpus import ROOT, conversion

NS = {"t": "http://www.tei-c.org/ns/1.0"}
EXPECTED = ROOT / "tests" / "records" / "correspondence.txt"
LINE = re.compile(r"^(?P<s>.*?)\s*->\s*(?P<r>.*?)(?:\s*\(via (?P<v>[^)]*)\))?$")

Triple = tuple[int, str, str]


def expected() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = None
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            out[current] = []
        else:
            out[current].append(line)
    return out


def gold(lines: list[str]) -> set[Triple]:
    triples = set()
    for n, line in enumerate(lines):
        m = LINE.match(line)
        assert m, line
        for action, group in (("sent", "s"), ("received", "r"), ("transmitted", "v")):
            for who in (m.group(group) or "").split(","):
                if who.strip():
                    triples.add((n, action, who.strip()))
    return triples


def read(path: Path) -> tuple[set[Triple], list[str]]:
    root = etree.fromstring(conversion(path).tei)
    triples, lines = set(), []
    for n, cd in enumerate(root.xpath("//t:profileDesc/t:correspDesc", namespaces=NS)):
        parts = {}
        for action in ("sent", "received", "transmitted"):
            names = []
            for el in cd.xpath(f"t:correspAction[@type='{action}'][not(@subtype)]/"
                               "*[self::t:persName or self::t:orgName]", namespaces=NS):
                who = (el.get("ref") or "").lstrip("#") or " ".join(el.text.split())
                names.append(who)
                triples.add((n, action, who))
            parts[action] = ", ".join(names)
        lines.append(f"{parts['sent']} -> {parts['received']}"
                     + (f" (via {parts['transmitted']})" if parts["transmitted"] else ""))
    return triples, lines


def scores() -> tuple[float, float, list[str]]:
    tp = fp = fn = 0
    report = []
    for source, lines in expected().items():
        got, got_lines = read(ROOT / source)
        want = gold(lines)
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        if got != want:
            report.append(f"{source}: expected {lines}, read {got_lines}")
    return tp / (tp + fp), tp / (tp + fn), report


def test_every_listed_record_exists():
    for source in expected():
        assert (ROOT / source).is_file(), source


def test_precision_and_recall_of_the_parties(capsys: pytest.CaptureFixture[str]):
    precision, recall, report = scores()
    with capsys.disabled():
        print(f"\nparties: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95 and recall >= 0.95, "\n".join(report)


@pytest.mark.parametrize("source", list(expected()), ids=lambda s: Path(s).stem)
def test_each_message_reads_as_the_document_says(source: str):
    got, got_lines = read(ROOT / source)
    assert got_lines == expected()[source]


def test_generated_records_read_as_generated(capsys: pytest.CaptureFixture[str]):
    """benchmarks/generator.py knows who sent each message it writes (a relayed letter
    behind a signed covering telegram, quoted or not; a telegram quoting another): the
    converter must read the same parties back."""
    from benchmarks.generator import generate_with_parties
    from tests._corpus import convert

    tp = fp = fn = 0
    wrong = []
    for name, text, parties in generate_with_parties(60, seed=5):
        want = {(n, action, who) for n, row in enumerate(parties)
                for action, who in zip(("sent", "received", "transmitted"), row, strict=True)
                if who}
        root = etree.fromstring(convert(text, name).tei)
        got = set()
        for n, cd in enumerate(root.xpath("//t:profileDesc/t:correspDesc", namespaces=NS)):
            for action in ("sent", "received", "transmitted"):
                got |= {(n, action, (el.get("ref") or el.text).lstrip("#")) for el in cd.xpath(
                    f"t:correspAction[@type='{action}'][not(@subtype)]/"
                    "*[self::t:persName or self::t:orgName]", namespaces=NS)}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        if got != want:
            wrong.append(f"{name}: missing {sorted(want - got)}, extra {sorted(got - want)}")
    with capsys.disabled():
        print(f"\ngenerated parties: precision {tp / (tp + fp):.3f}, recall {tp / (tp + fn):.3f}")
    assert not wrong, "\n".join(wrong[:5])


def test_only_a_title_that_names_other_parties_is_reported():
    """r19's title says Mao Zedong; its text is Zhou Enlai's. An intermediary the title
    calls the addressee (r17 'to Roshchin for Zhou Enlai') is not a disagreement."""
    from tests._corpus import ALL_SOURCES

    warned = sorted(p.name for p in ALL_SOURCES if any(
        x.code == "title-parties" for x in conversion(p).problems))
    assert warned == ["r19_title_differs.txt"]
