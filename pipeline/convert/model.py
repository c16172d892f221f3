"""The record model: what the reader finds in one archive export.

The reader fills it, the TEI writer reads it; nothing else. Every part keeps
the source line it came from, so problems can point at it, and the raw text,
so nothing is lost when a part cannot be parsed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from pipeline.errors import Problem


@dataclass
class Block:
    """A paragraph of the body: lines between blank lines, as in the source."""

    line: int  # 1-based line number of the first line
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Locus:
    """A range of sheets as cited: "65-68", "0045ob", "5-6"."""

    text: str
    start: str
    end: str


@dataclass
class Holding:
    """One archival holding from the citation (APRF, f. 45, op. 1, d. 348, ll. 65-68)."""

    text: str  # verbatim
    siglum: str = ""  # "APRF", "AVP RF" as cited
    ids: list[tuple[str, str]] = field(default_factory=list)  # ("fond", "45"), ...
    locus_label: str = ""  # "Listy", "ll."
    loci: list[Locus] = field(default_factory=list)
    note: str = ""  # "(original copy)"
    parsed: bool = True


@dataclass
class Citation:
    """The ``Citation:`` section, verbatim and in parts."""

    text: str
    line: int
    title: str = ""
    date: str = ""
    publisher: str = ""
    archival: str = ""  # the archival / publication part, verbatim
    url: str = ""
    holdings: list[Holding] = field(default_factory=list)


class Role(StrEnum):
    """What a block of the body is, by the archive's conventions: the closed vocabulary of
    the transmission form. Every block gets exactly one; what fits none is ``P`` (body
    text), never a person or a signature by default. The writer maps each to TEI."""

    # the form above and below a message
    TELNUM = "telnum"  # "CIPHERED TELEGRAM No. 502597/sh"
    NUMBER = "number"  # "No. 2250": the telegram's or the registry's number
    COPY = "copy"  # "Copy No. 1", "Отп. 14 экз.": which copy, how many were made
    ENCLOSURE = "enclosure"  # "Enclosure: 4-page letter.": what goes with the message
    URGENCY = "urgency"  # priority: "Extremely Urgent", "СРОЧНО"
    CLASSIFICATION = "classification"  # "Top Secret", "Снятие копий воспрещается"
    DATELINE = "dateline"  # a cipher-office line with its date (see Transmission) or
    #                        a place and date
    DATE = "date"  # a date alone ("17.7.52")
    PLACEDATE = "placedate"  # "Pyongyang 16.7.52.", "Moscow, Kremlin."
    SALUTE = "salute"  # an address line ("To Comrade STALIN", "Pyongyang Soviet
    #                    Ambassador.") or a salutation ("Dear Comrade STALIN")
    CC = "cc"  # "Copy to Comrade LI KENONG."
    DISTRIBUTION = "distribution"  # "Copies: Stalin (2), Molotov."
    TABLE = "table"  # a distribution grid (tab-separated)
    CLOSING = "closing"  # "With greetings!", "Respectfully, KIM IL SUNG"
    SIGNATURE = "signature"  # "S H T Y K O V", "Your Kim Il Sung"
    FORMLINE = "formline"  # printed form text, a margin or stamp line in capitals
    FORMHEAD = "formhead"  # a form line of the header that a list interrupted
    HEADING = "heading"  # a Markdown heading of the export
    SEPARATOR = "separator"  # a rule ("* * * * *") between a telegram and its enclosure
    CATCH = "catch"  # a catchword, "(СМ.СЛ.ЛИСТ)"
    SHEET = "sheet"  # a sheet number, "Лист 2"
    GAP = "gap"  # "[...]" on its own
    FOOTNOTE = "footnote"  # "[1] Mao Zedong."
    # the message's text
    ITEM = "item"  # a numbered or lettered point
    P = "p"  # body text: whatever fits no other role


class Transmission(StrEnum):
    """What a cipher-office line (Role.DATELINE) records: only SENT and RECEIVED are the
    correspondents' actions; the others are the office's internal times."""

    SENT = "sent"  # "Sent from Pyongyang by wire", "Отп.", "отправлена"
    FROM = "from"  # "FROM: PYONGYANG": where it was sent from
    RECEIVED = "received"  # "Received in Moscow", "получена"
    ARRIVED = "arrived"  # "Arrived in the 8 MDGS"
    DECIPHERED = "deciphered"
    TYPED = "typed"
    VERIFIED = "verified"  # "Проверил"
    RELAYED = "relayed"  # "This letter was cabled to Comrade Stalin", "Sent to 8th Adm."
    OTHER = "other"


@dataclass
class Part:
    """One block of a message with the role the reader gave it."""

    block: Block
    role: Role
    transmission: Transmission | None = None  # for cipher-office lines
    #: The role of each line of a block of several ("No. 2084" / "18.7.52"), read the
    #: same way; the writer splits a header or closing block by them.
    line_roles: list[Role] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.block.text

    @property
    def line(self) -> int:
        return self.block.line

    @property
    def lines(self) -> list[str]:
        return self.block.lines


@dataclass(frozen=True)
class Party:
    """A correspondent: a person or body of the authority files (``ref``) or a name the
    text gives that they do not know (``ref`` None)."""

    name: str  # the regularised name, else the text's
    ref: str | None = None
    kind: str = "person"  # "person" | "org"


@dataclass(frozen=True)
class Place:
    name: str
    ref: str | None = None


@dataclass(frozen=True)
class When:
    """A date of an action as the text writes it, with its ISO value and inference."""

    text: str
    when: str
    cert: str | None = None
    ana: str | None = None


@dataclass
class Action:
    """One correspAction: who, where, when."""

    parties: list[Party] = field(default_factory=list)
    place: Place | None = None
    date: When | None = None


@dataclass
class Correspondence:
    """Who sent a message to whom, through whom, and the copies."""

    sent: Action = field(default_factory=Action)
    received: Action = field(default_factory=Action)
    transmitted: Action | None = None
    cc: list[Party] = field(default_factory=list)
    context: Message | None = None  # the message that carries this one


@dataclass(eq=False)
class Message:
    """A telegram or letter of a version: its parts and the messages it quotes, nested as
    deep as the text nests them.

    ``kind`` is "telegram" (the outer message of a version) or "embedded" (quoted,
    enclosed or relayed). An enclosure that follows the signed telegram (after a rule or
    its own opening quotation mark) is a sibling of the telegram with ``outer`` set; the
    parts after its closing quotation mark (``tail_from``) are the telegram's again.
    """

    kind: str
    items: list[Part | Message] = field(default_factory=list)
    closed: bool = False
    line: int = 0
    id: str = ""  # the xml:id of its div
    outer: Message | None = None
    tail_from: int | None = None
    carrier: Message | None = None  # the message that quotes or encloses this one
    intro: str = ""  # the carrier's paragraph that introduces it
    twin: Message | None = None  # the same message in the other version
    corresp: Correspondence | None = None

    def owner(self, index: int) -> Message:
        """The message the item at ``index`` speaks for (the telegram's tail after an
        enclosed letter is the telegram's)."""
        if self.outer is not None and self.tail_from is not None and index >= self.tail_from:
            return self.outer
        return self

    def parts(self, own: bool = True) -> list[Part]:
        """The message's own parts (not those of quoted messages nor of its tail)."""
        return [x for i, x in enumerate(self.items)
                if isinstance(x, Part) and (not own or self.owner(i) is self)]

    def walk(self):
        """This message and every message nested in it, in document order."""
        yield self
        for x in self.items:
            if isinstance(x, Message):
                yield from x.walk()


@dataclass
class Version:
    """One version of the text in the body: the English translation, the Russian original."""

    kind: str  # "translation" | "original"
    lang: str  # "en" | "ru" | ...
    blocks: list[Block]
    messages: list[Message] = field(default_factory=list)  # top level, in order

    def all_messages(self) -> list[Message]:
        return [m for top in self.messages for m in top.walk()]


@dataclass
class Record:
    """One archive export, read."""

    name: str  # source file name, for messages
    id: str  # TEI/@xml:id
    date_text: str = ""
    date: datetime.date | None = None
    title: str = ""
    url: str = ""
    #: The record's address in the archive itself when the export came from a mirror.
    canonical_url: str = ""
    citation: Citation | None = None
    #: The archive's credit lines: ("Translated by", "Danny Rozas"), ("Obtained by", ...).
    credits: list[tuple[str, str]] = field(default_factory=list)
    summary: str = ""
    languages: list[str] = field(default_factory=list)  # "Russian", as given
    contents: list[str] = field(default_factory=list)  # "Translation - English", ...
    extra: list[tuple[str, str]] = field(default_factory=list)  # other sections, kept
    body: str = ""  # the source body, verbatim (what the diplomatic text must give back)
    body_line: int = 0
    versions: list[Version] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
