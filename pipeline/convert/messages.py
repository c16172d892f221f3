"""Grouping a version's blocks into messages: the telegram and what it quotes or encloses.

A block starting with a quotation mark opens an embedded message; a block ending with
one closes the innermost open message (a closing mark with no open quotation is text).
An embedded message whose quotation is never closed ends at the first block that belongs
to its carrier (its signature, number, copy or distribution list, after the quoted
text). A rule of asterisks at the top level followed by more text starts an enclosed
message, as does a quotation after the telegram is signed off.
"""

from __future__ import annotations

import re

from pipeline.convert.form import (
    _Q_CLOSE,
    _Q_OPEN,
    _TRAIL,
    _bare,
    _continues_list,
    classify,
    transmission,
)
from pipeline.convert.model import Block, Message, Part, Role, Version

#: Roles of the carrier's own lines under a message it quotes: where an unclosed
#: quotation ends.
_CARRIER_ROLES = {Role.SIGNATURE, Role.NUMBER, Role.COPY, Role.DISTRIBUTION, Role.TABLE}


#: Embedded messages nest at most this deep: the archive quotes a telegram inside a
#: telegram inside a letter, not more; quotation marks that open and never close
#: would otherwise nest once per paragraph, past what the writer can recurse into.
MAX_NESTING = 12


def _opens_quote(text: str) -> bool:
    return text[:1] in _Q_OPEN and text[1:2].isalpha() and not _closes_quote(text, whole=True)


def _closes_quote(text: str, whole: bool = False) -> bool:
    s = _TRAIL.sub("", text).rstrip()
    if whole:
        # A one-block quotation: "... " opened and closed in the same paragraph.
        return len(s) > 1 and s[-1] in _Q_CLOSE and s.count('"') % 2 == 0 and s[0] in _Q_OPEN \
            and ("\n" not in s) and len(s) < 60
    return s[-1:] in _Q_CLOSE and len(s) > 1


def _part(b: Block, authority: object | None) -> Part:
    role = classify(b, authority)
    lines = [classify(Block(b.line + i, [ln]), authority) for i, ln in enumerate(b.lines)] \
        if len(b.lines) > 1 else []
    return Part(b, role, transmission(_bare(b.text)) if role == Role.DATELINE else None, lines)


def structure(blocks: list[Block], authority: object | None) -> list[Message]:
    """Group blocks into messages (see the module doc); the top-level list in order."""
    top = Message("telegram", line=blocks[0].line if blocks else 0)
    messages = [top]
    stack = [top]
    for i, b in enumerate(blocks):
        part = _part(b, authority)
        prev = stack[-1].items[-1] if stack[-1].items else None
        if part.role == Role.P and isinstance(prev, Part) and prev.role == Role.DISTRIBUTION \
                and _continues_list(b.text, prev.text):
            part.role = Role.DISTRIBUTION  # "Molotov - 1, Malenkov - 1." goes on with the list
        kind = part.role
        if kind == Role.SEPARATOR and len(stack) == 1 and i + 3 < len(blocks) \
                and i > 0 and re.match(r"^(?:\\?\*\s*){3,}$", b.text.strip()):
            new = Message("embedded", line=b.line, outer=top)
            new.items.append(part)
            messages.append(new)
            stack = [new]
            continue
        if kind in (Role.SHEET, Role.CATCH, Role.TABLE, Role.HEADING, Role.SEPARATOR):
            stack[-1].items.append(part)  # form furniture never opens or closes a quotation
            continue
        fresh_enclosure = (len(stack) == 1 and stack[0] is not top and len(stack[0].items) == 1
                           and stack[0].items[0].role == Role.SEPARATOR)
        if _opens_quote(b.text) and stack == [top] and _signed_off(top):
            # The telegram is signed and numbered, then the letter it reports follows in
            # quotation marks: an enclosure beside the telegram (TEI puts nothing after a
            # closer), as after a rule of asterisks.
            new = Message("embedded", line=b.line, outer=top)
            new.items.append(part)
            messages.append(new)
            stack = [new]
            continue
        if kind == Role.SALUTE and stack == [top] and i + 1 < len(blocks) and _signed_off(top):
            # A new address after the telegram is signed and numbered ("To Comrade Kim Il
            # Sung" over the letter it relays, without quotation marks or a rule): the
            # enclosure begins.
            new = Message("embedded", line=b.line, outer=top)
            new.items.append(part)
            messages.append(new)
            stack = [new]
            continue
        if len(stack) == 1 and stack[0] is not top and stack[0].tail_from is None \
                and len(stack[0].items) > 1 and _closes_quote(b.text) \
                and kind in (Role.CLOSING, Role.SIGNATURE, Role.PLACEDATE, Role.DATE,
                             Role.DATELINE) \
                and _opens_quote(next(x.text for x in stack[0].items
                                      if isinstance(x, Part) and x.role != Role.SEPARATOR)):
            # The enclosed letter's own closing quotation mark: what follows is the
            # telegram's again (its distribution list, number and date).
            stack[0].items.append(part)
            stack[0].tail_from = len(stack[0].items)
            continue
        if len(stack) > 1 and kind in _CARRIER_ROLES and _quote_never_closed(stack[-1], part):
            # The quotation was never closed: the carrier's signature, number or copy
            # list ends it.
            stack[-1].closed = False
            stack.pop()
        if _opens_quote(b.text) and not fresh_enclosure and len(stack) < MAX_NESTING:
            # (A quotation right after the rule is the enclosed letter itself.)
            new = Message("embedded", line=b.line)
            stack[-1].items.append(new)
            stack.append(new)
        stack[-1].items.append(part)
        if len(stack) > 1 and _closes_quote(b.text) and not (
                _opens_quote(b.text) and stack[-1].items == [part] and "\n" not in b.text
                and len(_bare(b.text)) < 1):
            stack[-1].closed = True
            stack.pop()
    return messages


def _quote_never_closed(msg: Message, part: Part) -> bool:
    """Whether ``part`` is the carrier's, under a quoted message left open: the quoted
    message has its text and is signed already (a signature, or a closing with more
    after it), so another signature, a number or a copy list is its carrier's."""
    parts = [x for x in msg.items if isinstance(x, Part)]
    if not any(x.role in (Role.P, Role.ITEM) for x in parts):
        return False
    return any(x.role == Role.SIGNATURE for x in parts) or \
        any(x.role == Role.CLOSING for x in parts[:-1])


def _signed_off(msg: Message) -> bool:
    """The message so far ends with its text, a signature, and perhaps the distribution
    list, number and date under it."""
    after = {Role.DISTRIBUTION, Role.TABLE, Role.NUMBER, Role.COPY, Role.DATE, Role.DATELINE,
             Role.PLACEDATE, Role.CATCH, Role.SHEET, Role.CC, Role.ENCLOSURE}
    kinds = [x.role if isinstance(x, Part) else "message" for x in msg.items]
    k = len(kinds)
    while k > 0 and kinds[k - 1] in after:
        k -= 1
    if k == 0 or kinds[k - 1] not in (Role.SIGNATURE, Role.CLOSING):
        return False
    return Role.P in kinds[:k - 1] or Role.ITEM in kinds[:k - 1]


def _last_p(msg: Message, before: int | None = None) -> str:
    """The text of the last paragraph of a message before an index (its introduction
    of what follows)."""
    items = msg.items if before is None else msg.items[:before]
    ps = [x.text for i, x in enumerate(items) if isinstance(x, Part) and x.role == Role.P
          and msg.owner(i) is msg]
    return ps[-1] if ps else ""


def group(versions: list[Version], rec_id: str, authority: object | None) -> None:
    """Fill each version's messages, number them in document order (the ids of their
    divs), link each quoted or enclosed message to its carrier and introduction, and
    pair the messages of two versions that hold the same ones."""
    n = 0
    for v in versions:
        v.messages = structure(v.blocks, authority)
        for top in v.messages:
            for m in top.walk():
                n += 1
                m.id = f"{rec_id}-msg{n}"
                for i, x in enumerate(m.items):
                    if isinstance(x, Message):
                        x.carrier, x.intro = m, _last_p(m, i)
            if top.outer is not None:
                top.carrier, top.intro = top.outer, _last_p(top.outer)
    if len(versions) == 2:
        a, b = versions[0].all_messages(), versions[1].all_messages()
        if len(a) == len(b) and all(x.kind == y.kind for x, y in zip(a, b, strict=True)):
            for x, y in zip(a, b, strict=True):
                x.twin, y.twin = y, x
