"""Who sent each message to whom, through whom, where and when: read from the document.

The sender comes from the signature and the From/sent lines, the addressee from the
address block and the salutation; relay and delivery from what the text says ("I
herewith transmit a letter ... from A", "addressed to your name", "bring to the
attention of B", "verbally transmit the following to C", "For D."). A covering telegram
is from the official who sent it to its addressee; the letter it carries is from its
author to its addressee, with the relaying official as *transmitted*. The catalogue
title is a fallback only, and where it names other parties than the document, a
warning says so. Dates come from each message's own sent and received lines; the
cipher office's internal times (arrived, deciphered, typed) are not the correspondents'.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable

from pipeline.convert.form import _MARGIN_NOTE, _bare, _closing_parts, split_line
from pipeline.convert.model import (
    Action,
    Correspondence,
    Message,
    Part,
    Party,
    Place,
    Record,
    Role,
    Transmission,
    Version,
    When,
)
from pipeline.errors import Problem

_UNKNOWN_SIGNATURE = re.compile(
    r"[\"“„«]?([A-ZА-ЯЁ][A-ZА-ЯЁ'-]+(?: [A-ZА-ЯЁ][A-ZА-ЯЁ.'-]*){0,3})[.,\"”»]*")


class _Reader:
    """Reads the parties of one record's messages."""

    def __init__(self, rec: Record, authority: object | None,
                 resolver_factory: Callable[[str], object] | None) -> None:
        self.rec = rec
        self.authority = authority
        self.resolver_factory = resolver_factory
        self.resolver: object | None = None
        self.lang = "en"

    # -- what a text names --
    def mentions(self, text: str, kinds: tuple[str, ...] = ("person", "org")) -> list:
        if self.authority is None or not text:
            return []
        try:
            return [m for m in self.authority.find(text, self.lang)  # type: ignore[attr-defined]
                    if m.kind in kinds]
        except Exception:  # noqa: BLE001 - a names bug must not stop the conversion
            return []

    def party(self, m: object) -> Party:
        ref = getattr(m, "ref", None)
        name = " ".join((getattr(m, "name", "") or getattr(m, "text", "")).split())
        if ref and self.authority is not None:
            try:
                name = self.authority.reg_name(ref)  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001
                pass
        return Party(name, ref, "org" if getattr(m, "kind", "") == "org" else "person")

    def parties(self, text: str) -> list[Party]:
        return _unique([self.party(m) for m in self.mentions(text)])

    def places(self, text: str) -> list[tuple[int, Place]]:
        return [(m.start, Place(self.party(m).name, m.ref))
                for m in self.mentions(text, ("place",))]

    def dates(self, text: str) -> list[When]:
        if self.resolver is None:
            return []
        try:
            found = self.resolver.find(text, self.lang)  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001
            return []
        out = []
        for d in found:
            if d.when and d.kind != "time":
                reasons = " ".join("#" + r.lstrip("#") for r in d.reasons) or None
                out.append(When(" ".join(d.text.split()), d.when, d.cert, reasons))
        return out

    # -- the signature and the address --
    def signatories(self, parts: list[Part]) -> list[Party]:
        """The persons under the message's text: its signature, or the name in a closing
        ("Respectfully, KIM IL SUNG"). A name in capitals at the head is an address."""
        first_text = next((i for i, x in enumerate(parts) if x.role in (Role.P, Role.ITEM)),
                          None)
        found: list[Party] = []
        for i, x in enumerate(parts):
            if first_text is not None and i < first_text and x.role == Role.SIGNATURE:
                continue
            if found and x.role not in (Role.SIGNATURE, Role.CLOSING):
                # One signature block: a name further down signs for the cipher office
                # ("Проверил: ... *Герасимов*"), not for the message.
                break
            if x.role == Role.SIGNATURE:
                found += self.parties(x.text) or self._unknown(x.text)
            elif x.role == Role.CLOSING:
                mm = _closing_parts(x.text, self.authority)
                if mm:
                    found += self.parties(mm.group("sig")) or self._unknown(mm.group("sig"))
        return _unique(found)

    def _unknown(self, text: str) -> list[Party]:
        m = _UNKNOWN_SIGNATURE.fullmatch(text.strip())
        return [Party(m.group(1))] if m else []

    def address(self, parts: list[Part]) -> tuple[list[Party], list[str]]:
        """The addressees of the message's address block and salutation, and the address
        texts (for an office: "Pyongyang Soviet Ambassador.")."""
        parties: list[Party] = []
        texts: list[str] = []
        before_text = True
        for x in parts:
            if x.role in (Role.P, Role.ITEM):
                before_text = False
            if x.role == Role.SALUTE:
                parties += self.parties(x.text)
                texts.append(x.text)
            elif before_text and x.role in (Role.TELNUM, Role.DATELINE, Role.DATE, Role.NUMBER,
                                            Role.PLACEDATE, Role.FORMLINE, Role.COPY):
                for kind, part, _ in split_line(x.text) or []:
                    if kind == "address":
                        parties += self.parties(part)
                        texts.append(part)
                if x.role in (Role.FORMLINE, Role.PLACEDATE) and not re.search(r"\d", x.text) \
                        and self.places(x.text) and not self.parties(x.text):
                    texts.append(x.text)  # "BEIJING" over the address: where it went
                mm = _MARGIN_NOTE.match(x.text.strip()) if x.role == Role.FORMLINE else None
                if mm and self.parties(mm.group(3)):
                    parties += self.parties(mm.group(3))  # "7. Сталину 72"
        return _unique(parties), texts

    def copies(self, parts: list[Part]) -> list[Party]:
        out: list[Party] = []
        for x in parts:
            if x.role in (Role.CC, Role.DISTRIBUTION, Role.TABLE):
                out += self.parties(x.text.replace("\t", " "))
        return _unique(out)

    # -- dates and places of the message's own lines --
    def transmission(self, m: Message, parts: list[Part], c: Correspondence) -> None:
        sent_dates: list[When] = []
        recv_dates: list[When] = []
        sent_places: list[Place] = []
        recv_places: list[Place] = []
        body_at = next((i for i, x in enumerate(parts) if x.role in (Role.P, Role.ITEM)),
                       len(parts))
        for i, x in enumerate(parts):
            if x.role == Role.CLOSING:
                # "With greetings! MAO ZEDONG, 3:00, 15.7.52": the date it was signed.
                mm = _closing_parts(x.text, self.authority)
                if mm and mm.group("date"):
                    sent_dates += self.dates(_bare(mm.group("date")))[:1]
                continue
            if x.role not in (Role.DATELINE, Role.DATE, Role.PLACEDATE):
                continue
            text = _bare(x.text)
            dates = self.dates(text)
            places = self.places(text)
            t = x.transmission
            if t == Transmission.RECEIVED:
                recv_dates += dates[:1]
                recv_places += [p for s, p in places
                                if re.search(r"(?:\bin|\bat)\s*$", text[:s])][:1]
                sent_places += [p for s, p in places
                                if re.search(r"(?:\bfrom|\bFROM:?|Из)\s*$", text[:s], re.I)][:1]
            elif t in (Transmission.SENT, Transmission.FROM):
                sent_dates += dates[:1]
                sent_places += [p for _, p in places][:1]
            elif t in (None, Transmission.OTHER):
                if m.kind == "embedded" and i < body_at and not dates:
                    recv_places += [p for _, p in places][:1]  # "Moscow, Kremlin." above a letter
                elif i >= body_at:
                    sent_dates += dates[:1]  # the place and date under the text
                    sent_places += [p for _, p in places][:1]
        sent_refs = {p.ref for p in sent_places}
        _, address = self.address(parts)
        for text in address:
            recv_places += [p for _, p in self.places(text) if p.ref not in sent_refs][:1]
        c.sent.date = c.sent.date or (sent_dates[0] if sent_dates else None)
        c.sent.place = c.sent.place or (sent_places[0] if sent_places else None)
        c.received.date = c.received.date or (recv_dates[0] if recv_dates else None)
        c.received.place = c.received.place or (recv_places[0] if recv_places else None)

    # -- offices --
    def office_holder(self, texts: list[str], place: Place | None, date: str,
                      counterpart: Place | None = None) -> list[Party]:
        """"Pyongyang Soviet Ambassador.", "BEIJING / To the Soviet Ambassador." -> the
        person the personography makes the ambassador in the country whose capital is that
        place, at the message's date (one person, or nobody)."""
        office = next((o for t in texts if (o := _office(t))), None)
        if not office or self.authority is None:
            return []
        place = next((p for t in texts for _, p in self.places(t)), None) or place
        if place is None or not place.ref or not date:
            return []
        table = _offices(self.authority)
        country = table["capitals"].get(place.ref)
        if not country:
            return []
        year = int(date[:4])
        rx = re.compile(rf"\b{office}\b[^;]*?\bto the {re.escape(country)}\b[^;(]*"
                        r"\((\d{4})\s*[–-]\s*(\d{4})\)", re.I)
        found = [Party(self.authority.reg_name(ref), ref)  # type: ignore[attr-defined]
                 for ref, occupation in table["people"]
                 for mm in [rx.search(occupation)]
                 if mm and int(mm.group(1)) <= year <= int(mm.group(2))]
        if len(found) > 1:
            # Two ambassadors in one capital (the Soviet and the Chinese in Pyongyang): the
            # one of the other end of the line -- the archive's telegrams are Soviet unless
            # the other end is another country's capital.
            other = table["capitals"].get(counterpart.ref, "USSR") \
                if counterpart and counterpart.ref else "USSR"
            names = ("Soviet", "of the USSR") if other == "USSR" else (f"of the {other}",)
            people = dict(table["people"])
            found = [p for p in found if any(n in people[p.ref] for n in names)]
        return found if len(found) == 1 else []

    def holds_office(self, parties: list[Party], text: str) -> list[Party]:
        """Those of ``parties`` whose occupation is the office a salutation names
        ("Respected comrade ambassador" to the telegram's sender, the ambassador)."""
        office = _office(text)
        if not office or self.authority is None:
            return []
        people = dict(_offices(self.authority)["people"])
        return [p for p in parties if p.ref and office in people.get(p.ref, "").lower()]


def _office(text: str) -> str | None:
    if re.search(r"\bambassador\b|\b[Пп]ос(?:ол|лу|ла)\b", text, re.I):
        return "ambassador"
    m = re.search(r"\b(adviser|advisor|envoy)\b", text, re.I)
    return m.group(1).lower() if m else None


_OFFICES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _offices(authority: object) -> dict:
    """Occupations of the personography's people and the capitals of the gazetteer."""
    try:
        return _OFFICES[authority]
    except (KeyError, TypeError):
        pass
    people, capitals = [], {}
    tei = "{http://www.tei-c.org/ns/1.0}"
    for ref in authority.refs:  # type: ignore[attr-defined]
        kind = authority.kind(ref)  # type: ignore[attr-defined]
        if kind not in ("person", "place"):
            continue
        entry = authority.entry(ref)  # type: ignore[attr-defined]
        if kind == "person":
            occ = " ".join("".join(o.itertext()) for o in entry.iter(tei + "occupation"))
            if occ:
                people.append((ref, occ))
        else:
            for note in entry.iter(tei + "note"):
                mm = re.match(r"Capital of (?:the )?(.+)$", "".join(note.itertext()).strip())
                if mm:
                    capitals[ref] = mm.group(1).strip(" .")
    table = {"people": people, "capitals": capitals}
    try:
        _OFFICES[authority] = table
    except TypeError:
        pass
    return table


def _unique(parties: list[Party]) -> list[Party]:
    seen, out = set(), []
    for p in parties:
        key = p.ref or p.name
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# --- what the text says about relaying -----------------------------------------

_INTRO_WORD = re.compile(r"\b(?:letter|telegram|message|text|note|cable|appeal|following)s?\b|"
                         r"письм|телеграмм|послани|следующее", re.I)
_PARTY_WORD = re.compile(r"\b(?:from|to)\b|(?<!\w)(?:от|на имя)(?!\w)|"
                         # "the letter of Comrade X": its author
                         r"(?:(?<=letter )|(?<=message )|(?<=telegram )|(?<=appeal )|"
                         r"(?<=reply )|(?<=answer )|(?<=note )|(?<=text ))of\b", re.I)
_BETWEEN = re.compile(r"^[\s,]*(?:(?:and|comrades?|cdes?\.?|the|товарищ\w*|тов\.|и)[\s,]+)*$",
                      re.I)
#: The carrier asks its addressee to pass what follows on: the addressee relays it.
_PASS_ON = re.compile(r"\b(?:bring (?:it |this |the following )?to the attention of|"
                      r"pass (?:it |this )?on (?:orally |verbally )?to|"
                      r"(?:verbally |orally )?transmit (?:the following |it |this )?"
                      r"(?:verbally |orally )?to|forward (?:it |the following )?to|"
                      r"hand (?:it |the following )?(?:over )?to|deliver (?:it |the following )?"
                      r"to|convey (?:it |the following )?to|"
                      r"(?:verbally |orally )?tell (?:him|her|them)? ?(?:the following)?|"
                      r"inform (?:him|her|them) of)\b|"
                      r"(?:передать|передайте|довести до сведения)", re.I)
_VISIT = re.compile(r"\b(?:visit|see|meet|call on)\b|(?<!\w)(?:посетите|повидайте)(?!\w)", re.I)
_TO_YOU = re.compile(r"\b(?:to|addressed to) your name\b|\baddressed to you\b|на (?:В|в)аше имя")
_FOR_TRANSMISSION = re.compile(r"\bfor (?:transmission|delivery|forwarding|handing over) to\b|"
                               r"\bfor (?=(?:Comrade|comrade|COMRADE|Cde\.?)\s)|"
                               r"\bдля (?:передачи|вручения)\b", re.I)
_FOR = re.compile(r"^\s*(?:For|FOR|Для|Лично)\s+(?=\S)")


def intro_parties(reader: _Reader, text: str) -> tuple[list[Party], list[Party], bool]:
    """"I herewith relay the text of a letter addressed to Comrade STALIN which I received
    from KIM IL SUNG and PAK HEON-YEONG" -> (senders, recipients, asks to pass on)."""
    if not text or not _INTRO_WORD.search(text):
        return [], [], False
    spans = [(m.start, m.end, reader.party(m)) for m in reader.mentions(text)]
    senders: list[Party] = []
    recipients: list[Party] = []
    pass_on = bool(_PASS_ON.search(text))
    for start, _end, party in spans:
        words = list(_PARTY_WORD.finditer(text, 0, start))
        attention = list(_PASS_ON.finditer(text, 0, start))
        cands = [(w.end(), "from" if w.group(0).lower() in ("from", "от", "of") else "to")
                 for w in words] + [(a.end(), "to") for a in attention]
        if pass_on:
            # "Visit Comrade KIM IL SUNG and tell him the following": the one to visit.
            cands += [(v.end(), "to") for v in _VISIT.finditer(text, 0, start)]
        if not cands:
            continue
        at, which = max(cands)
        between = text[at:start]
        for s2, e2, _ in spans:  # other names listed between ("KIM IL SUNG and PAK ...")
            if at <= s2 and e2 <= start:
                between = between.replace(text[s2:e2], " ", 1)
        if not _BETWEEN.match(between):
            continue
        (senders if which == "from" else recipients).append(party)
    return _unique(senders), _unique(recipients), pass_on


def title_parties(reader: _Reader, title: str, second: bool = False
                  ) -> tuple[list[Party], list[Party], list[Party]]:
    """"X to Y (via Z)" in the record's title -> senders, recipients, transmitters.

    With ``second``, the parties of the message the title says is passed on
    ("..., transmitting message from A to B"): the "from ... to" after the first.
    """
    if reader.authority is None or not title:
        return [], [], []
    if second:
        first_to = re.search(r"\bto\b", title)
        later = re.search(r"\bfrom\b.*?\bto\b.*", title[first_to.end():]) if first_to else None
        if not later:
            return [], [], []
        return title_parties(reader, later.group(0))
    saved, reader.lang = reader.lang, "en"
    positions = [(m.start, reader.party(m)) for m in reader.mentions(title)]
    reader.lang = saved
    via_m = re.search(r"\(?\bvia\b", title)
    to_m = next((mm for mm in re.finditer(r"\bto\b", title)
                 if any(pos < mm.start() for pos, _ in positions)), None)
    if to_m is None:
        return [], [], []
    from_m = None
    for mm in re.finditer(r"\bfrom\b", title[: to_m.start()]):
        from_m = mm
    stop = re.search(r",|\bconveying\b|\btransmitting\b|\bforwarding\b|\brelaying\b|"
                     r"\benclosing\b|\bpassing\b|\babout\b|\bregarding\b|\bon\b|"
                     r"\bconcerning\b|\bwith\b|\(via\b|\bvia\b", title[to_m.end():])
    r_end = to_m.end() + stop.start() if stop else len(title)
    senders = [p for pos, p in positions
               if pos < to_m.start() and (from_m is None or pos > from_m.start())]
    recipients = [p for pos, p in positions if to_m.end() <= pos < r_end]
    via = [p for pos, p in positions if via_m and pos > via_m.start()]
    return _unique(senders), _unique(recipients), _unique(via)


# --- the record --------------------------------------------------------------------

def main_version(rec: Record) -> Version | None:
    """The version whose messages are described: the English translation when there is
    one, else the first (the other version's messages point at their twins)."""
    if not rec.versions:
        return None
    return next((v for v in rec.versions if v.kind == "translation" and v.lang == "en"),
                rec.versions[0])


def read_parties(rec: Record, authority: object | None,
                 resolver_factory: Callable[[str], object] | None = None) -> None:
    """Fill ``corresp`` of every message of every version: first what each message's own
    lines say, then what its twin in the other version adds, then what its carrier says
    of it (carriers come first in document order), and only then the fallbacks."""
    reader = _Reader(rec, authority, resolver_factory)
    for v in rec.versions:
        reader.lang = v.lang
        body = "\n\n".join(b.text for b in v.blocks)
        reader.resolver = resolver_factory(body) if resolver_factory else None
        messages = v.all_messages()
        parts = owned(messages)
        for m in messages:
            m.corresp = Correspondence(context=m.carrier)
            _own(reader, m, parts[id(m)])
    main = main_version(rec)
    if main is None:
        return
    described = main.all_messages()
    for m in described:
        if m.twin is not None and m.twin.corresp is not None:
            _fill_from(m.corresp, m.twin.corresp)
    for v in rec.versions:
        reader.lang = v.lang
        messages = v.all_messages()
        carriers = {id(x.carrier) for x in messages if x.carrier is not None}
        for m in messages:
            if m.carrier is None:
                _fallbacks(reader, m, id(m) in carriers)
            else:
                _relations(reader, m)
    for m in described:
        if m.twin is not None and m.twin.corresp is not None:
            _fill_from(m.corresp, m.twin.corresp)
    if described and not described[0].corresp.sent.date and rec.date:
        described[0].corresp.sent.date = When(rec.date_text, rec.date.isoformat())
    for m in described:
        _order(reader, m)
    _title_check(reader, described)


def owned(messages: list[Message]) -> dict[int, list[Part]]:
    """Each message's own parts in order, with the telegram's lines that follow the letter
    it encloses (after the letter's closing quotation mark)."""
    out: dict[int, list[Part]] = {id(m): [] for m in messages}
    for m in messages:
        for i, x in enumerate(m.items):
            if isinstance(x, Part):
                out.setdefault(id(m.owner(i)), []).append(x)
    return out


def _own(reader: _Reader, m: Message, parts: list[Part]) -> None:
    """What the message's own lines say: signature, address, copies, dates, places."""
    c = m.corresp
    c.sent.parties = reader.signatories(parts)
    c.received.parties, address = reader.address(parts)
    c.cc = reader.copies(parts)
    reader.transmission(m, parts, c)
    if not c.sent.parties:
        # "From: Beijing, ZHOU ENLAI": a sender named on the line it was sent from.
        c.sent.parties = _unique([p for x in parts if x.transmission in (
            Transmission.FROM, Transmission.SENT) for p in reader.parties(x.text)])
    for text in address:
        # "To Comrade KOVALEV for transmission to Comrade FILIPPOV"
        mm = _FOR_TRANSMISSION.search(text)
        if mm and reader.parties(text[mm.end():]):
            c.transmitted = Action(reader.parties(text[:mm.start()]))
            c.received.parties = reader.parties(text[mm.end():])
    first = next((x for x in parts if x.role == Role.P), None)
    if first is not None and _FOR.match(first.text):
        # "For Comrade Kim Il Sung." heading the text: sent to an intermediary for X.
        named = reader.parties(first.text.split("\n")[0][:120])
        if named:
            c.transmitted = Action(c.received.parties) if c.received.parties else None
            c.received.parties = named
            return
    if not c.received.parties:
        # "PYONGYANG, SOVIET AMBASSADOR": the holder of the office there at the date.
        c.received.parties = reader.office_holder(address, c.received.place,
                                                  _date_of(reader, m), c.sent.place)
    at = next((i for i, x in enumerate(m.items) if x is first), -1)
    quoted_next = at >= 0 and any(isinstance(x, Message) for x in m.items[at + 1:at + 2])
    if first is not None and m.kind == "telegram" and not quoted_next:
        # "Verbally transmit the following to Kim Il Sung.": the addressee delivers it
        # (unless what follows is a quoted message, which is then the one delivered).
        s, r, pass_on = intro_parties(reader, first.text)
        # Only an instruction heading the text, not a request inside a paragraph ("... I ask
        # you to bring this to the attention of Comrade Gromyko").
        lead = re.match(r"\W*(?:Please\s+|Kindly\s+)?(?:(?:Visit|See|Meet|Call on|Посетите|"
                        r"Повидайте)\s+[^.:;]{1,80}?\s+(?:and|и)\s+)?", first.text, re.I).end()
        pass_on = pass_on and bool(_PASS_ON.match(first.text, lead))
        if pass_on and r and not s:
            via = c.received.parties or reader.office_holder(
                address, c.received.place, _date_of(reader, m), c.sent.place)
            c.transmitted = Action(via) if via else None
            c.received.parties = r


def _relations(reader: _Reader, m: Message) -> None:
    """A quoted or enclosed message: what its carrier says of it, and who relayed it."""
    carrier = m.carrier
    if carrier is None:
        return
    c, cc = m.corresp, carrier.corresp
    senders, recipients, pass_on = intro_parties(reader, m.intro)
    if _TO_YOU.search(m.intro or ""):
        recipients = recipients or list(cc.received.parties)
    if not c.sent.parties:
        c.sent.parties = senders
    if not c.received.parties:
        # "Respected comrade ambassador": the carrier's sender or addressee holds the office.
        salutes = [x.text for x in m.parts() if x.role == Role.SALUTE]
        first = next((x.text for x in m.parts() if x.role == Role.P), "")
        hail = re.match(r"^[\"“„«]?(?:Respected|Dear|Esteemed|Уважаемый|Дорогой)[^,!.]{0,40}[,!]",
                        first)
        for text in salutes + ([hail.group(0)] if hail else []):
            c.received.parties = reader.holds_office(cc.sent.parties + cc.received.parties, text)
            if c.received.parties:
                break
    if not c.received.parties:
        c.received.parties = recipients
    # Who relayed it: the carrier's addressee when the carrier asks them to pass it on,
    # and the sender of a carrying telegram -- unless they are a party of the message
    # itself (Mao forwarding his own telegram and the reply to it). A letter quoting
    # another message is not its relay.
    relay = (cc.received.parties if pass_on else []) + \
        (cc.sent.parties if carrier.kind == "telegram" else [])
    own = {p.ref or p.name for p in c.sent.parties + c.received.parties}
    relay = [p for p in relay if (p.ref or p.name) not in own]
    if relay and c.transmitted is None:
        c.transmitted = Action(relay)
    if not c.sent.parties:
        # The title's "..., transmitting message from Kim Il Sung to I.V. Stalin"
        c.sent.parties = title_parties(reader, reader.rec.title, second=True)[0]


def _date_of(reader: _Reader, m: Message) -> str:
    c = m.corresp
    d = c.sent.date or c.received.date
    if d is not None:
        return d.when
    return reader.rec.date.isoformat() if reader.rec.date else ""


def _fill_from(c: Correspondence, twin: Correspondence) -> None:
    """What this version's text does not say, its twin may (the original's form has the
    received line, the translation may drop it)."""
    for action in ("sent", "received"):
        mine, theirs = getattr(c, action), getattr(twin, action)
        mine.parties = mine.parties or theirs.parties
        mine.place = mine.place or theirs.place
        mine.date = mine.date or theirs.date
    if c.transmitted is None:
        c.transmitted = twin.transmitted
    c.cc = c.cc or twin.cc


def _fallbacks(reader: _Reader, m: Message, relays: bool) -> None:
    """What the document does not say of a telegram: the office holder, then the title."""
    c = m.corresp
    rec = reader.rec
    ts, tr, tv = title_parties(reader, rec.title)
    if not c.sent.parties and relays:
        # An unsigned covering telegram: the relaying official the title names, else
        # the holder of the office at the place it was sent from.
        c.sent.parties = tv or reader.office_holder(
            ["ambassador"], c.sent.place, _date_of(reader, m), c.received.place)
    if not c.sent.parties:
        c.sent.parties = ts
    if not c.received.parties:
        c.received.parties = tr
    own = {p.ref for p in c.sent.parties + c.received.parties}
    if tv and c.transmitted is None and not relays and not {p.ref for p in tv} & own:
        c.transmitted = Action(tv)


def _order(reader: _Reader, m: Message) -> None:
    """A message is never received before it is sent: a received date earlier than the
    sent date is the cipher office's or a misreading, and is not recorded."""
    c = m.corresp
    if c.sent.date and c.received.date:
        a, b = c.sent.date.when, c.received.date.when
        n = min(len(a), len(b), 10) if "T" not in a or "T" not in b else min(len(a), len(b))
        if b[:n] < a[:n]:
            reader.rec.problems.append(Problem(
                reader.rec.name, m.line, 0, "warning", "received-before-sent",
                f"{m.id}: received {b} before it was sent {a}",
                "the received date is left out of the correspDesc; check the source"))
            c.received.date = None


def _title_check(reader: _Reader, described: list[Message]) -> None:
    """Where the catalogue title names parties the document does not, say so. A party the
    title puts in another role (the intermediary it calls the addressee) is not reported."""
    ts, tr, tv = title_parties(reader, reader.rec.title)

    def key(p: Party) -> str:
        return p.ref or p.name.lower()

    found = set()
    for m in described:
        c = m.corresp
        found |= {key(p) for p in c.sent.parties + c.received.parties
                  + (c.transmitted.parties if c.transmitted else [])}
    missing = [p.name for p in _unique(ts + tr + tv) if key(p) not in found]
    if missing:
        reader.rec.problems.append(Problem(
            reader.rec.name, 1, 0, "warning", "title-parties",
            f"the title names {', '.join(missing)} as a party, the document does not",
            "the correspDesc follows the document; check the title or the text"))
