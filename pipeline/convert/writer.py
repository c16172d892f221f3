"""Document model -> TEI text: the writer walks the messages the reader found.

Each message becomes a ``div`` (the outer telegram, and each embedded one nested in
``quote/floatingText``) with its ``opener``, its text and its ``closer``; the roles
the reader gave its blocks decide the elements. Nothing here decides who wrote to
whom: the correspondence is the model's (``pipeline.convert.parties``).
"""

from __future__ import annotations

import re

from lxml import etree

from pipeline.convert.form import (
    _MARGIN_NOTE,
    _TRAILING_COPY,
    CLOSER_KINDS,
    OPENER_KINDS,
    RX,
    _bare,
    _closing_parts,
    _continues_list,
    _item_lines,
    split_line,
)
from pipeline.convert.header import _ALL_REFS, HeaderWriter
from pipeline.convert.inline import TEI_NS, XML_NS, InlineContext, T, add_text, annotate, sub
from pipeline.convert.model import Block, Message, Part, Record, Version

#: Kinds of block that give only milestones and forme work (TEI's model.global):
#: never the text a div must have before its closer.
_FURNITURE = frozenset({"separator", "sheet", "catch"})

#: Lists of the form, which an opener or closer holds inside a seg. A distribution grid
#: (table) stays in the text, where the reading editions give wide tables their own
#: scrolling box.
_FORM_LISTS = ("distribution",)


def _signed_before_more_text(kinds: list[str], a: int, b: int) -> tuple[int, int]:
    """In the text [a, b) of a message: the index of a signature (or closing) that has
    text before and after it, and the index where the text resumes; (b, b) if none."""
    body = ("p", "item", "message")
    for s in range(a + 1, b):
        if kinds[s] in ("signature", "closing") and any(k in body for k in kinds[a:s]):
            t = s
            while t < b and (kinds[t] in CLOSER_KINDS or kinds[t] in _FORM_LISTS
                             or kinds[t] == "cc"):
                t += 1
            if t < b and kinds[t] in body:
                return s, t
    return b, b


class Writer(HeaderWriter):
    """Builds the TEI tree for one record."""

    def __init__(self, rec: Record, authority: object | None, resolver_factory) -> None:
        self.rec = rec
        self.id = rec.id
        self.authority = authority
        self.resolver_factory = resolver_factory
        self.ctx = InlineContext(authority=authority, warn=self._warn)
        self.messages: list[Message] = []
        self.divs: dict[str, etree._Element] = {}
        self.langs: list[str] = []
        self.under_signature = False  # the last form line written was a signature

    def _warn(self, line: int, code: str, message: str, hint: str) -> None:
        from pipeline.errors import Problem

        p = Problem(self.rec.name, line, 0, "warning", code, message, hint)
        if p not in self.rec.problems:
            self.rec.problems.append(p)

    # -- top level --
    def build(self) -> etree._Element:
        rec = self.rec
        tei = etree.Element(T("TEI"), nsmap={None: TEI_NS})
        tei.set(f"{{{XML_NS}}}id", self.id)
        tei.set(f"{{{XML_NS}}}lang", "en")
        header = sub(tei, "teiHeader")
        text = sub(tei, "text")
        body = sub(text, "body")
        for v in rec.versions:
            self._version(body, v)
        self._link_twins()
        self._header(header)
        # Every pointer into the authority files, wherever it is (text, abstract, correspDesc).
        refs = sorted({r.lstrip("#") for v in _ALL_REFS(tei) for r in v.split()
                       if r.startswith("#")})
        if refs and self.authority is not None:
            self._standoff(tei, refs)
        self._declare_languages(tei)
        self._declare_editors(tei)
        return tei

    def _link_twins(self) -> None:
        """Original and translation with the same messages: each message points at its twin."""
        for m in self.messages:
            if m.twin is not None:
                self.divs[m.id].set("corresp", "#" + m.twin.id)
        done = set()
        for m in self.messages:
            if m.twin is not None and m.twin.id not in done:
                done.add(m.id)
                _align_paragraphs(self.divs[m.id], self.divs[m.twin.id])

    # -- body --
    def _version(self, body: etree._Element, v: Version) -> None:
        vid = f"{self.id}-{v.lang}"
        div = sub(body, "div", type=v.kind, xml_lang=v.lang, xml_id=vid)
        others = [f"#{self.id}-{o.lang}" for o in self.rec.versions if o is not v]
        if others:
            div.set("corresp", " ".join(others))
        if v.lang not in self.langs:
            self.langs.append(v.lang)
        self.ctx.lang = v.lang
        body_text = "\n\n".join(b.text for b in v.blocks)
        self.ctx.resolver = self.resolver_factory(body_text) if self.resolver_factory else None
        for m in v.messages:
            self._message(div, m)

    def _message(self, parent: etree._Element, m: Message) -> None:
        div = self.divs[m.id] = sub(parent, "div", type=m.kind, xml_id=m.id)
        self.messages.append(m)
        items = m.items
        kinds = [x.role if isinstance(x, Part) else "message" for x in items]
        for x, kind in enumerate(kinds):
            # "7. Сталину 72": a number that starts no list is not a numbered point.
            if kind == "item" and RX["item"].match(items[x].text).group("n") not in ("1", "a", "а"):
                prev = next((kinds[y] for y in range(x - 1, -1, -1) if kinds[y] != "p"), None)
                if prev != "item":
                    kinds[x] = "formline" if len(items[x].text) <= 90 else "p"
        tail: list = []
        if m.outer is not None and m.tail_from is not None and m.tail_from < len(items):
            # The telegram's lines after the enclosed letter: a div of their own beside it,
            # so that the letter keeps its closer.
            tail, tail_kinds = items[m.tail_from:], kinds[m.tail_from:]
            items, kinds = items[:m.tail_from], kinds[:m.tail_from]
        # Leading headings become the div's head; a separator opening an enclosure is a milestone.
        i = 0
        while i < len(items) and kinds[i] in ("heading", "separator"):
            if kinds[i] == "heading":
                self._heading(div, items[i], "head")
            else:
                self._milestone(div, items[i])
            i += 1
        f = len(items)
        while f > i and kinds[f - 1] == "footnote":
            f -= 1  # the export's footnotes at the end come after the closer
        b = f
        while b > i and (kinds[b - 1] in CLOSER_KINDS or kinds[b - 1] in _FORM_LISTS):
            b -= 1
        a = i
        # An address in capitals at the head ("SOVIET AMBASSADOR") looks like a signature;
        # a distribution list or grid of the form goes into the opener too (as seg).
        while a < b and (kinds[a] in OPENER_KINDS or kinds[a] == "signature"
                         or kinds[a] in _FORM_LISTS):
            a += 1
        # Sheet furniture at the edges stays with the text.
        while a > i and kinds[a - 1] in ("catch", "sheet"):
            a -= 1
        # Printed form lines of a header that a list or table interrupted ("Для заметок и
        # резолюций", 'Series "G" T') are header blocks too, not prose.
        k = a
        while k < b and kinds[k] not in ("p", "item", "message"):
            if kinds[k] == "formline":
                kinds[k] = "formhead"
            k += 1
        if all(kinds[k] in _FURNITURE for k in range(a, b)):
            # No text (or only rules and sheet furniture, which are not text): TEI puts
            # no closer without text before it, so the closing lines (signature, date)
            # join the opener, which holds them all.
            if a > i or b < f or a < b:
                opener = sub(div, "opener")
                self._form(opener, items, kinds, i, a, m, "opener")
                self._form(opener, items, kinds, a, b, m, "opener")
                self._form(opener, items, kinds, b, f, m, "closer")
        else:
            if a > i:
                self._form(sub(div, "opener"), items, kinds, i, a, m, "opener")
            s, t = _signed_before_more_text(kinds, a, b)
            k = a
            while k < s:
                k = self._middle(div, items, kinds, k, s, m)
            target = div
            if s < b:
                # Text after the signature: the closer, then the rest as a postscript
                # with its own closer.
                self._form(sub(div, "closer"), items, kinds, s, t, m, "closer")
                target = sub(div, "postscript")
                k = t
                while k < b:
                    k = self._middle(target, items, kinds, k, b, m)
            if b < f:
                self._form(sub(target, "closer"), items, kinds, b, f, m, "closer")
        for k in range(f, len(items)):
            self._footnote(div, items[k])
        if len(div) == 0:
            sub(div, "p")
        if tail:
            self._after_enclosure(div, tail, tail_kinds, m.outer)

    def _after_enclosure(self, div: etree._Element, items: list, kinds: list[str],
                         outer: Message) -> None:
        """The distribution list, number and date of the telegram that follow the letter it
        encloses: ``div[@type='archival']`` after the letter, their roles the telegram's."""
        arch = etree.Element(T("div"), type="archival")
        div.addnext(arch)
        b = len(items)
        while b > 0 and kinds[b - 1] in CLOSER_KINDS:
            b -= 1
        if all(kinds[k] in _FURNITURE for k in range(b)):
            # a closer needs text before it (rules and sheet furniture are none): the
            # lines are ab then
            b = len(items)
        k = 0
        while k < b:
            k = self._middle(arch, items, kinds, k, b, outer)
        if b < len(items):
            self._form(sub(arch, "closer"), items, kinds, b, len(items), outer, "closer")

    def _form(self, parent: etree._Element, items: list, kinds: list[str], start: int,
              end: int, m: Message, where: str) -> None:
        """The blocks of an opener or closer; a distribution list (with the blocks that go
        on with it) or grid as ``seg[@type='distribution']`` holding the list or table,
        as TEI allows no list directly in an opener or closer."""
        self.under_signature = False
        k = start
        while k < end:
            if kinds[k] in _FORM_LISTS:
                seg = sub(parent, "seg", type="distribution")
                if kinds[k] == "table":
                    self._table(seg, items[k], m)
                    k += 1
                    continue
                blocks = [items[k]]
                k += 1
                while k < end and kinds[k] == "distribution" and \
                        _continues_list(items[k].text, blocks[-1].text):
                    blocks.append(items[k])
                    k += 1
                self._distribution(seg, blocks, m)
                continue
            self._header_block(parent, items[k], kinds[k], m, where)
            k += 1

    def _header_block(self, parent: etree._Element, b: Block, kind: str, m: Message,
                      where: str) -> None:
        self.ctx.line = b.line
        # Whether this block comes right under a signature (a number there is the
        # telegram's): the writer's own state, not read back from the tree.
        under, self.under_signature = self.under_signature, False
        if kind in ("catch", "sheet"):
            self._furniture(parent, b, kind)
            return
        if kind == "heading":
            self._furniture(parent, b, "header")
            return
        if kind == "separator":
            self._milestone(parent, b)
            return
        if kind == "gap":
            annotate(parent, b.text, self.ctx)
            return
        if len(b.lines) > 1:
            line_kinds = b.line_roles
            # In a closer only numbers and dates run together ("No. 2084" / "18.7.52");
            # a signature over two lines stays one.
            allowed = OPENER_KINDS if where == "opener" else {"number", "copy", "date",
                                                              "dateline", "placedate"}
            if len(set(line_kinds)) > 1 and all(k in allowed for k in line_kinds):
                self.under_signature = under
                for i, (ln, lk) in enumerate(zip(b.lines, line_kinds, strict=True)):
                    self._header_block(parent, Block(b.line + i, [ln]), lk, m, where)
                return
        if kind in ("dateline", "date", "telnum", "number", "placedate", "formline", "salute",
                    "copy"):
            parts = split_line(b.text)
            if parts:
                self.under_signature = under
                for part_kind, part, space in parts:
                    self._header_part(parent, b.line, part_kind, part, m)
                    add_text(parent, space)
                return
        if kind == "formline" and where == "opener" and self._margin_note(parent, b, m):
            return
        tc = _TRAILING_COPY.match(b.text) if kind == "dateline" else None
        if tc:
            self.under_signature = under
            self._header_block(parent, Block(b.line, [tc.group(1)]), kind, m, where)
            add_text(parent, tc.group(2))
            self._header_part(parent, b.line, "copy", tc.group(3), m)
            return
        if kind == "signature" and where == "opener":
            kind = "formline"  # "SOVIET AMBASSADOR" at the head is an address, not a signature
        if kind == "closing" and where == "closer" and self._closing(parent, b, m):
            return
        if kind == "salute" or kind == "closing":
            el = sub(parent, "salute")
        elif kind == "signature":
            el = sub(parent, "signed")
            self._fill(el, b.text)
            _unknown_signature(el, self.ctx)
            self.under_signature = True
            return
        elif kind in ("dateline", "date", "placedate"):
            el = sub(parent, "dateline")
        else:
            seg_type = {"telnum": "telegram-number", "number": _number_type(b.text, under),
                        "cc": "cc", "copy": "copy", "urgency": "urgency", "enclosure": "enclosure",
                        "classification": "classification"}.get(kind, "form")
            el = sub(parent, "seg", type=seg_type)
        self._fill(el, b.text)

    def _header_part(self, parent: etree._Element, line: int, kind: str, text: str,
                     m: Message) -> None:
        """One part of a split header or closing line (see :func:`split_line`)."""
        self.ctx.line = line
        under, self.under_signature = self.under_signature, False
        if kind == "date":
            el = sub(parent, "dateline")
        elif kind == "address":
            el = sub(parent, "salute")
        else:
            seg_type = {"telnum": "telegram-number", "copy": "copy",
                        "number": _number_type(text, under)}[kind]
            el = sub(parent, "seg", type=seg_type)
        self._fill(el, text)

    def _margin_note(self, parent: etree._Element, b: Block, m: Message) -> bool:
        """"7. Сталину 72" at the head of a Russian form: registry number, addressee
        (a person) and the sheet number, each its own part."""
        mm = _MARGIN_NOTE.match(b.text.strip())
        if not mm or self.authority is None:
            return False
        try:
            people = [x for x in self.authority.find(mm.group(3), lang=self.ctx.lang)
                      if x.kind == "person"]
        except Exception:  # noqa: BLE001
            return False
        if not people or sum(x.end - x.start for x in people) < 0.6 * len(mm.group(3)):
            return False
        self.ctx.line = b.line
        sub(parent, "seg", mm.group(1), type="number")
        add_text(parent, mm.group(2))
        sal = sub(parent, "salute")
        annotate(sal, mm.group(3), self.ctx)
        add_text(parent, mm.group(4))
        sub(parent, "fw", mm.group(5), type="pageNum")
        return True

    def _closing(self, parent: etree._Element, b: Block, m: Message) -> bool:
        """"With greetings! MAO ZEDONG, 3:00, 15.7.52" -> salute, signed, dateline."""
        mm = _closing_parts(b.text, self.authority)
        if not mm:
            return False
        sal = sub(parent, "salute")
        annotate(sal, mm.group("sal"), self.ctx)
        add_text(parent, mm.group("sp"))
        signed = sub(parent, "signed")
        # Punctuation stays in the signature; only white space lies between the parts.
        sep = mm.group("sep") or ""
        annotate(signed, mm.group("sig") + sep.rstrip(), self.ctx)
        self.under_signature = not mm.group("date")
        if mm.group("date"):
            add_text(parent, sep[len(sep.rstrip()):] or " ")
            dl = sub(parent, "dateline")
            annotate(dl, mm.group("date"), self.ctx)
        return True

    def _fill(self, el: etree._Element, text: str) -> None:
        m = RX["heading"].match(text)
        if m:
            el.set("rendition", f"#md-h{len(m.group(1))}")
            text = text[m.end() - 1:]
            text = text.lstrip()
        rule = re.search(r"(?<=\S)={3,}$", text)
        if rule:
            # "Pyongyang 16.7.52.”====": the export's end-of-record rule, not the text.
            annotate(el, text[: rule.start()], self.ctx)
            sub(el, "milestone", unit="section", type="rule", rend=rule.group(0))
            return
        annotate(el, text, self.ctx)

    def _heading(self, parent: etree._Element, b: Block, tag: str) -> etree._Element:
        self.ctx.line = b.line
        el = sub(parent, tag)
        self._fill(el, b.text)
        return el

    def _footnote(self, parent: etree._Element, b: Block) -> None:
        """"[1] Mao Zedong." -> note[@type='footnote'][@n='1'] (its mark kept inside)."""
        self.ctx.line = b.line
        n = re.match(r"^\[(\d{1,3})\]", b.text).group(1)
        note = sub(parent, "note", type="footnote", n=n, place="end")
        annotate(note, b.text, self.ctx)

    def _milestone(self, parent: etree._Element, b: Block) -> None:
        sub(parent, "milestone", unit="section", type="separator", rend=b.text.strip())

    def _furniture(self, parent: etree._Element, b: Block, kind: str) -> None:
        self.ctx.line = b.line
        if kind == "sheet":
            mm = RX["sheet"].match(_bare(b.text))
            n = mm.group(1) or mm.group(2)
            sub(parent, "pb", n=n)
            fw = sub(parent, "fw", type="pageNum")
        elif kind == "catch":
            fw = sub(parent, "fw", type="catch")
        else:
            fw = sub(parent, "fw", type="header")
        self._fill(fw, b.text)

    def _middle(self, div: etree._Element, items: list, kinds: list[str], k: int, end: int,
                m: Message) -> int:
        """Write the item at k (and what belongs with it); return the next index."""
        item, kind = items[k], kinds[k]
        if kind == "message":
            quote = sub(div, "quote")
            ft = sub(quote, "floatingText", type="embedded")
            body = sub(ft, "body")
            self._message(body, item)
            return k + 1
        self.ctx.line = item.line
        if kind == "separator":
            self._milestone(div, item)
            return k + 1
        if kind == "footnote":
            self._footnote(div, item)
            return k + 1
        if kind == "heading":
            fw = sub(div, "fw", type="header")
            self._fill(fw, item.text)
            return k + 1
        if kind == "catch":
            # A sheet break: catchword, the next sheet's running header, its number.
            j = k + 1
            while j < end and j - k <= 6 and kinds[j] not in ("sheet", "message", "item"):
                j += 1
            group_end = j + 1 if j < end and kinds[j] == "sheet" else k + 1
            self._furniture(div, item, "catch")
            for x in range(k + 1, group_end):
                self._furniture(div, items[x], "sheet" if kinds[x] == "sheet" else "header")
            return group_end
        if kind == "sheet":
            self._furniture(div, item, "sheet")
            return k + 1
        if kind == "table":
            self._table(div, item, m)
            return k + 1
        if kind == "distribution":
            j = k + 1
            blocks = [item]
            while j < end and kinds[j] != "message" and _continues_list(
                    items[j].text, blocks[-1].text):
                blocks.append(items[j])
                j += 1
            self._distribution(div, blocks, m)
            return j
        if kind == "item":
            return self._list(div, items, kinds, k, end, m)
        if kind == "formhead":
            ab = sub(div, "ab", type="form")
            self._fill(ab, item.text)
            return k + 1
        tc = _TRAILING_COPY.match(item.text) if kind == "dateline" else None
        if tc:
            ab = sub(div, "ab", type="transmission")
            self._fill(ab, tc.group(1))
            ab.tail = tc.group(2)
            self._fill(sub(div, "ab", type="copy"), tc.group(3))
            return k + 1
        under, self.under_signature = self.under_signature, kind == "signature"
        if kind in OPENER_KINDS | CLOSER_KINDS and kind not in ("formline", "gap"):
            # Not the names of TEI's elements for the form: those are for an opener or
            # closer, and these lines stand in the text.
            ab_type = {"signature": "signature", "telnum": "telegram-number",
                       "date": "place-date", "placedate": "place-date", "formline": "form",
                       "salute": "address", "dateline": "transmission", "closing": "closing",
                       "number": _number_type(item.text, under), "copy": "copy", "cc": "cc",
                       "urgency": "urgency", "classification": "classification",
                       "enclosure": "enclosure",
                       "heading": "form", "catch": "form", "sheet": "form"}.get(kind, "form")
            ab = sub(div, "ab", type=ab_type)
            self._fill(ab, item.text)
            if kind == "signature":
                _unknown_signature(ab, self.ctx)
            return k + 1
        p = sub(div, "p")
        self._fill(p, item.text)
        # A paragraph broken by a sheet break ("помо-" ... Лист 2 ... "гать") is one p
        # with the sheet's furniture inside it.
        j = k + 1
        while j < end and kinds[j] == "catch":
            g = j + 1
            while g < end and g - j <= 6 and kinds[g] not in ("sheet", "message", "item"):
                g += 1
            if not (g < end and kinds[g] == "sheet"):
                break
            nxt = g + 1
            if not (nxt < end and kinds[nxt] == "p" and items[nxt].text[:1].islower()
                    and re.search(r"[\w-]$", items[j - 1].text)):
                break
            add_text(p, "\n")
            self._furniture(p, items[j], "catch")
            for x in range(j + 1, g + 1):
                self._furniture(p, items[x], "sheet" if kinds[x] == "sheet" else "header")
            self.ctx.line = items[nxt].line
            add_text(p, "\n")
            annotate(p, items[nxt].text, self.ctx)
            j = nxt + 1
        return j

    def _list(self, div: etree._Element, items: list, kinds: list[str], k: int, end: int,
              m: Message) -> int:
        first = RX["item"].match(items[k].text)
        if first.group("n") not in ("1", "a", "а"):
            p = sub(div, "p")
            self._fill(p, items[k].text)
            return k + 1
        lettered = first.group("n").isalpha()
        lst = sub(div, "list", type="lettered" if lettered else "numbered")
        current: etree._Element | None = None
        sublist: etree._Element | None = None
        j = k
        while j < end:
            kind = kinds[j]
            if kind == "item":
                for line_no, text in _item_lines(items[j]):
                    self.ctx.line = line_no
                    mm = RX["item"].match(text)
                    is_letter = mm.group("n").isalpha()
                    if is_letter and not lettered and current is not None:
                        if sublist is None:
                            sublist = sub(current, "list", type="lettered")
                        it = sub(sublist, "item", n=mm.group("n"))
                    else:
                        sublist = None
                        it = sub(lst, "item", n=mm.group("n"))
                        current = it
                    if mm.group("dash"):
                        it.set("rendition", "#md-bullet")
                        text = text[len(mm.group("dash")):]
                    annotate(it, text, self.ctx)
                j += 1
                continue
            # A paragraph between two points belongs to the point before it.
            nxt = next((x for x in range(j + 1, end) if kinds[x] != "p"), end)
            if kind == "p" and current is not None and nxt < end and kinds[nxt] == "item" \
                    and RX["item"].match(items[nxt].text).group("n") not in ("1", "a", "а"):
                self.ctx.line = items[j].line
                target = current
                add_text(target, "\n")
                sub(target, "lb", type="paragraph")
                annotate(target, items[j].text, self.ctx)
                # the paragraph now follows the sub-points: a later sub-point opens a
                # new sub-list after it, or the text would come back out of order
                sublist = None
                j += 1
                continue
            break
        return j

    def _table(self, div: etree._Element, b: Block, m: Message) -> None:
        table = sub(div, "table", type="distribution")
        for line in b.lines:
            row = sub(table, "row")
            for cell_text in line.split("\t"):
                cell = sub(row, "cell")
                annotate(cell, cell_text, self.ctx)

    def _distribution(self, div: etree._Element, blocks: list[Block], m: Message) -> None:
        lst = sub(div, "list", type="distribution")
        # The diplomatic text joins head and items with one space, so they are cut
        # only where the source has white space: "Stalin (2),Molotov" stays one item
        # and "1,000" is never two.
        first = blocks[0].text
        hm = re.match(r"^(.*?:)(?:\s+|$)", first, re.S)
        if hm:
            annotate(sub(lst, "head"), hm.group(1), self.ctx)
        rest = [first[hm.end():] if hm else first] + [b.text for b in blocks[1:]]
        for chunk in rest:
            for part in re.split(r"(?<=,)\s+", chunk.strip()):
                if part:
                    self._dist_item(lst, part)
        if hm and len(lst) == 1:
            # "Copies:" and nothing after it: a list needs an item, so the label is one
            lst[0].tag = T("item")

    def _dist_item(self, lst: etree._Element, text: str) -> None:
        item = sub(lst, "item")
        mm = re.match(r"^(?P<name>.*?)(?P<sep>\s*[-–—]\s*|\s*\()(?P<n>\d+)(?P<close>\)?)"
                      r"(?P<rest>[,.;]*)$", text, re.S)
        if not mm:
            annotate(item, text, self.ctx)
            return
        annotate(item, mm.group("name"), self.ctx)
        add_text(item, mm.group("sep"))
        n = mm.group("n")
        # @value is a number in ASCII digits; "٢" (any decimal digit \d finds) is 2
        num = sub(item, "num", n, type="copies", value=n if n.isascii() else str(int(n)))
        num.tail = (mm.group("close") or "") + (mm.group("rest") or "") or None

    # -- header --


def _units(div: etree._Element) -> list[etree._Element]:
    """The paragraphs and numbered points of a message, in order (not its quotes)."""
    out = []
    for c in div:
        if c.tag == T("p"):
            out.append(c)
        elif c.tag == T("list") and c.get("type") in ("numbered", "lettered"):
            out += c.findall(T("item"))
    return out


def _align_paragraphs(a: etree._Element, b: etree._Element) -> None:
    """Twin messages of the original and the translation: paragraph points at paragraph
    (@corresp) only when it is certain: the same sequence of paragraphs and numbered
    points, and every pair of about the same length relative to the others (a translator
    who splits one paragraph and joins two others keeps the count but not the match)."""
    ua, ub = _units(a), _units(b)
    if not ua or len(ua) != len(ub):
        return
    if [(u.tag, u.get("n")) for u in ua] != [(u.tag, u.get("n")) for u in ub]:
        return
    lengths = [(len("".join(x.itertext()).strip()), len("".join(y.itertext()).strip()))
               for x, y in zip(ua, ub, strict=True)]
    if any(la == 0 or lb == 0 for la, lb in lengths):
        return
    ratios = sorted(la / lb for la, lb in lengths)
    median = ratios[len(ratios) // 2]
    if any(not 0.6 <= r / median <= 1 / 0.6 for r in ratios):
        return
    for div, units in ((a, ua), (b, ub)):
        base = div.get(f"{{{XML_NS}}}id")
        for n, u in enumerate(units, 1):
            u.set(f"{{{XML_NS}}}id", f"{base}-{'p' if u.tag == T('p') else 'item'}{n}")
    for x, y in zip(ua, ub, strict=True):
        x.set("corresp", "#" + y.get(f"{{{XML_NS}}}id"))
        y.set("corresp", "#" + x.get(f"{{{XML_NS}}}id"))


def _number_type(text: str, under_signature: bool) -> str:
    """"No. 1447/sh" (the cipher office's suffix) or a number right under the signature is
    the telegram's own number; any other number line is a registry number."""
    if re.search(r"/\s*(?:sh|ш|Ш|SH)\b", text) or under_signature:
        return "telegram-number"
    return "number"


def _unknown_signature(el: etree._Element, ctx: InlineContext) -> None:
    """A signature in capitals that the personography does not know is still a person."""
    if len(el) or not el.text:
        return
    m = re.fullmatch(
        r"([\"“„«]?)([A-ZА-ЯЁ][A-ZА-ЯЁ'-]+(?: [A-ZА-ЯЁ][A-ZА-ЯЁ.'-]*){0,3})([.,\"”»]*)", el.text)
    if not m:
        return
    el.text = m.group(1) or None
    p = sub(el, "persName", m.group(2))
    p.tail = m.group(3) or None
    ctx.persons += 1
    ctx.unknown.add(m.group(2))

