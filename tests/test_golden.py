"""The encoded seeds committed under tei/ are what the converter makes of seeds/ now.

When this fails, the converter changed: look at the difference, and if it is
right, refresh the committed files with

    teipipe convert seeds/ -o tei/
"""

from __future__ import annotations

import difflib

from tests._corpus import ROOT, SEEDS, conversion

REFRESH = "teipipe convert seeds/ -o tei/"


def test_every_seed_has_its_committed_tei_and_it_is_current():
    stale = []
    for seed in SEEDS:
        conv = conversion(seed)
        committed = ROOT / "tei" / f"{conv.id}.xml"
        if not committed.exists():
            stale.append(f"{committed.name}: missing")
            continue
        old = committed.read_bytes()
        if old != conv.tei:
            diff = difflib.unified_diff(old.decode().splitlines(), conv.tei.decode().splitlines(),
                                        "committed", "converter now", lineterm="", n=1)
            stale.append(f"{committed.name}:\n" + "\n".join(list(diff)[:12]))
    assert not stale, f"tei/ is stale; refresh with `{REFRESH}`\n" + "\n".join(stale)


def test_no_committed_encoding_without_its_seed():
    ids = {conversion(s).id for s in SEEDS}
    extra = [p.name for p in (ROOT / "tei").glob("wcda-*.xml") if p.stem not in ids]
    assert not extra, f"tei/ holds encodings of no seed: {extra}"
