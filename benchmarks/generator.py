"""Synthetic records in the archive's text export format, for benchmarks and tests.

The records vary the way the Wilson Center exports of Korean War telegrams vary
(see ../shared/ENCODING.md, "The source", and the five files in seeds/):
senders, recipients and their cover names, relays ("via Shtykov"), date styles,
citation styles (APRF/AVPRF/RGASPI/TsAMO, spelled out or abbreviated, with papka,
"ob" sheets, "(original copy)", a published collection, no archival line),
Markdown ``**`` labels or none, the URL bare or in ``<>``, the date and title on
one line or wrapped over lines ending in two spaces, transmission headers,
embedded quoted telegrams, numbered points, distribution lists, editorial
brackets, letter-spaced signatures and sometimes a Russian original.

Everything is drawn from one ``random.Random(seed)`` walking fixed tuples, so the
same seed gives byte-identical files on every machine and Python version.
The people are real people of the archive, so that a converter's personography is
exercised; the sentences are invented and say nothing historical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# --- people ---------------------------------------------------------------
# key: (English forms, CAPS form, Russian nominative, Russian dative, cover names)


@dataclass(frozen=True)
class Person:
    key: str
    forms: tuple[str, ...]  # English surface forms used in running text
    caps: str  # the cables' CAPS form
    ru: str  # Russian, nominative (CAPS as in the cables)
    ru_dat: str  # Russian, dative ("Товарищу СТАЛИНУ")
    covers: tuple[str, ...] = ()  # pseudonyms, with the identity in brackets when glossed
    place: str = "Moscow"


PEOPLE: tuple[Person, ...] = (
    Person("stalin", ("Stalin", "I.V. Stalin", "Iosif Vissarionovich", "STALIN I.V."), "STALIN",
           "СТАЛИН", "СТАЛИНУ", ("Filippov", "Feng Xi", "Fyn Si"), "Moscow"),
    Person("mao-zedong", ("Mao Zedong", "Mao", "Mao Tse-tung"), "MAO ZEDONG",
           "МАО ЦЗЕ-ДУН", "МАО ЦЗЕ-ДУНУ", (), "Beijing"),
    Person("zhou-enlai", ("Zhou Enlai", "Chou En-lai"), "ZHOU ENLAI",
           "ЧЖОУ ЭНЬ-ЛАЙ", "ЧЖОУ ЭНЬ-ЛАЮ", (), "Beijing"),
    Person("kim-il-sung", ("Kim Il Sung", "Kim II Sung", "Kim"), "KIM IL SUNG",
           "КИМ ИР СЕН", "КИМ ИР СЕНУ", (), "Pyongyang"),
    Person("pak-heon-yeong", ("Pak Heon-yeong", "Pak Hon Yong"), "PAK HEON-YEONG",
           "ПАК ХЕН ЕН", "ПАК ХЕН ЕНУ", (), "Pyongyang"),
    Person("peng-dehuai", ("Peng Dehuai", "Peng Teh-huai"), "PENG DEHUAI",
           "ПЭН ДЭ-ХУАЙ", "ПЭН ДЭ-ХУАЮ", (), "Kaeseong"),
    Person("shtykov", ("Shtykov", "Shitykov", "T.F. Shtykov"), "SHTYKOV",
           "ШТЫКОВ", "ШТЫКОВУ", (), "Pyongyang"),
    Person("razuvaev", ("Razuvaev", "V.N. Razuvaev"), "RAZUVAEV",
           "РАЗУВАЕВ", "РАЗУВАЕВУ", (), "Pyongyang"),
    Person("roshchin", ("Roshchin", "N.V. Roshchin"), "ROSHCHIN",
           "РОЩИН", "РОЩИНУ", (), "Beijing"),
    Person("vyshinsky", ("Vyshinsky", "A.Ia. Vyshinsky"), "VYSHINSKY",
           "ВЫШИНСКИЙ", "ВЫШИНСКОМУ", (), "Moscow"),
    Person("gromyko", ("Gromyko", "A.A. Gromyko"), "GROMYKO",
           "ГРОМЫКО", "ГРОМЫКО", (), "Moscow"),
    Person("vasilevsky", ("Vasilevsky", "A. Vasilevsky"), "VASILEVSKY",
           "ВАСИЛЕВСКИЙ", "ВАСИЛЕВСКОМУ", (), "Moscow"),
    Person("molotov", ("Molotov", "V.M. Molotov"), "MOLOTOV",
           "МОЛОТОВ", "МОЛОТОВУ", (), "Moscow"),
    Person("zakharov", ("Zakharov", "M.V. Zakharov"), "ZAKHAROV",
           "ЗАХАРОВ", "ЗАХАРОВУ", (), "Beijing"),
    Person("li-kenong", ("Li Kenong", "Ri Geon-yeong"), "LI KENONG",
           "ЛИ КЭ-НУН", "ЛИ КЭ-НУНУ", (), "Kaeseong"),
)
BY_KEY = {p.key: p for p in PEOPLE}

# Senders of the outer telegram and whom they write to; the relay is the
# ambassador who carries a leader's message ("via Shtykov").
ROUTES: tuple[tuple[str, str, str | None], ...] = (
    ("kim-il-sung", "stalin", "shtykov"),
    ("kim-il-sung", "stalin", "razuvaev"),
    ("kim-il-sung", "mao-zedong", None),
    ("stalin", "kim-il-sung", "shtykov"),
    ("stalin", "kim-il-sung", "razuvaev"),
    ("stalin", "mao-zedong", "roshchin"),
    ("stalin", "zhou-enlai", None),
    ("mao-zedong", "stalin", None),
    ("mao-zedong", "stalin", "roshchin"),
    ("mao-zedong", "kim-il-sung", None),
    ("zhou-enlai", "stalin", "roshchin"),
    ("zhou-enlai", "vyshinsky", None),
    ("pak-heon-yeong", "stalin", "shtykov"),
    ("peng-dehuai", "mao-zedong", None),
    ("shtykov", "gromyko", None),
    ("shtykov", "vyshinsky", None),
    ("razuvaev", "vasilevsky", None),
    ("roshchin", "stalin", None),
    ("zakharov", "stalin", None),
)

POLITBURO = ("Stalin", "Molotov", "Malenkov", "Beria", "Mikoyan", "Kaganovich", "Bulganin",
             "Khrushchev", "Vyshinsky", "Sokolovsky", "Gromyko")
CLERKS = ("Mikhaylenko", "Shcherbakova", "Morozov", "Kravchuk", "Ivanova", "Vaganov",
          "Cheredikina", "Zaitseva")
PLACES = ("Pyongyang", "Moscow", "Beijing", "Peking", "Kaeseong", "Incheon", "Seoul",
          "Wonsan", "Andong", "Shenyang", "Dalian", "Panmunjom", "Sinuiju", "Hamhung")

# --- archives -------------------------------------------------------------

ARCHIVES = ("APRF", "AVPRF", "RGASPI", "TsAMO")
SPELLED = {"AVPRF": ("AVPRF", "AVP RF"), "APRF": ("APRF",), "RGASPI": ("RGASPI",),
           "TsAMO": ("TsAMO", "TsAMO RF")}
COLLECTIONS = (
    "Cold War International History Project Bulletin, Issue 6-7 (Winter 1995/1996), p. {p}",
    "A.V. Torkunov, Zagadochnaia voina: Koreiskii konflikt 1950-1953 godov "
    "(Moscow: ROSSPEN, 2000), pp. {p}-{q}",
    "Published in: Russian Foreign Policy Archive collection, vol. 2, pp. {p}-{q}",
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

# --- sentences ------------------------------------------------------------
# {p}: a person mention, {pl}: a place, {d}: a date expression, {n}: a number.

SENTENCES = (
    "I consider it necessary to report to you about the following.",
    "The enemy continues to bomb {pl} day and night, and the losses among the population are "
    "heavy.",
    "Over the past month the situation at the front near {pl} has not changed in any essential "
    "way.",
    "Comrade {p} informed me on {d} that the delegation is ready to depart.",
    "We share the opinion of Comrade {p} on this question.",
    "The negotiations in {pl} have again been drawn out by the American side.",
    "According to our information, the enemy has concentrated up to {n} troops in the area "
    "of {pl}.",
    "It is necessary to strengthen the antiaircraft defense of {pl} and of the most important "
    "industrial sites.",
    "Your telegram of {d} was received and studied with great attention.",
    "The units of the VVS [air force] of the KPA [Korean People's Army] are ready to begin "
    "operations at any time.",
    "The CC VKP(b) [Central Committee, All-Union Communist Party (bolshevik)] agrees with "
    "your proposal.",
    "We request that you send {n} wagons of ammunition to {pl} by {d}.",
    "I ask you to bring this to the attention of Comrade {p} [...].",
    "The Chinese comrades consider that the question of prisoners of war must be decided "
    "first.",
    "The delegation left {pl} for {pl2} on {d} and arrived without incident.",
    "Comrade {p} [sic] expressed his full agreement with these measures.",
    "The troops of the CPV [Chinese People's Volunteers] hold the line along the 38th "
    "parallel.",
    "In only one day of bombing of {pl} more than {n} peaceful inhabitants were killed and "
    "wounded.",
    "We await your orders and advice on the aforementioned questions.",
    "The supply of fuel [to the front units] remains the most difficult problem.",
    "I have received your letter [Translator's note: the letter is not in the file] and will "
    "answer it in detail.",
    "Our friends [the Chinese comrades] agree to the proposed order of the talks.",
    "The enemy, making use of this situation, makes demands in the negotiations that are "
    "unacceptable to us.",
    "Comrade {p} will arrive in {pl} with the materials on {d}.",
    "The text of the reply was handed to Comrade {p} in person [handwritten: agreed].",
    "About {n} prisoners [captured near {pl} - AM] are held in the camps of the northern "
    "provinces.",
    "The PVO [Anti-aircraft Defense] of the capital has been reinforced by two regiments.",
    "We consider the proposal of the enemy to be provocative and fraudulent.",
    "This question was discussed at the meeting of the Politburo on {d}.",
    "The armistice commission will meet again in {pl} on {d}.",
)
SENTENCES_RU = (
    "Считаю необходимым доложить Вам о следующем.",
    "Противник продолжает бомбить {pl} днем и ночью.",
    "Ваша телеграмма от {d} получена.",
    "Мы разделяем мнение товарища {p} по этому вопросу.",
    "Переговоры в {pl} снова затягиваются американской стороной.",
    "Необходимо усилить ПВО города и всех важных промышленных объектов.",
    "Просим Вас рассмотреть вышеизложенные мнения и принять решение.",
    "Китайские товарищи считают, что вопрос о военнопленных должен быть решен первым.",
    "Делегация выехала {d} и прибыла без происшествий.",
    "Ждем Ваших указаний и советов по вышеизложенным вопросам.",
)
PLACES_RU = ("Пхеньяне", "Москве", "Пекине", "Кэсоне", "Сеуле")

POINT_TEXTS = (
    "To strengthen antiaircraft defense by {n} regiments.",
    "To activate the night operations of the VVS [Air Force] of the KPA and CPV.",
    "To carry out a number of ground operations so as to divert the enemy from our rear.",
    "To send to {pl} the specialists requested in our note of {d}.",
    "To permit the training of {n} pilots from among Korean students in the Soviet Union.",
    "To move decisively toward the soonest conclusion of an armistice in {pl}.",
    "To supply the divisions formed in {pl} with armaments and food rations.",
    "To inform Comrade {p} of this decision without delay.",
)
CLOSINGS = ("With deep respect and esteem", "Respectfully", "With greetings!",
            "With highest respect toward you.", "With communist greetings")


class _Gen:
    """One record's worth of choices, all from the shared random stream."""

    def __init__(self, rng: random.Random, doc_id: int, when: dt.date):
        self.r = rng
        self.doc_id = doc_id
        self.when = when
        #: Who sent each message of the English version to whom (via whom), in order, as
        #: personography ids: the truth the converter's reading is measured against.
        self.parties: list[tuple[str, str, str | None]] = []

    # --- small pieces ---
    def pick(self, seq):  # noqa: ANN001, ANN201 - tiny helper
        return seq[self.r.randrange(len(seq))]

    def date_expr(self, d: dt.date | None = None, ru: bool = False) -> str:
        """One date in one of the archive's styles (Russian ones only in Russian text)."""
        d = d or self.when + dt.timedelta(days=self.r.randint(-20, 3))
        yy = f"{d.year % 100:02d}"
        h, m = self.r.randint(0, 23), self.r.choice((0, 5, 10, 15, 20, 30, 35, 45, 50))
        style = self.r.choice((0, 1, 3, 4, 5, 6, 7) if ru else (0, 1, 2, 3, 4, 8, 9, 10, 11))
        if style == 0:
            return f"{d.day}.{d.month}.{yy}"
        if style == 1:
            return f"{d.day}.{d.month} {h}:{m:02d}"
        if style == 2:
            ampm = "p.m." if h >= 12 else "a.m."
            return f"{d.month:02d}/{d.day:02d}/{yy} at {h}:{m:02d} {ampm}"
        if style == 3:
            return f"{d.day:02d}.{d.month:02d}.{yy}"
        if style == 4:
            return f"{d.day}.{ROMAN[d.month - 1]}.{yy}"
        if style == 5:
            return f"{d.day}/{ROMAN[d.month - 1]} {d.year} г."
        if style == 6:
            return f"{d.day} {MONTHS_RU[d.month - 1]} {d.year}г."
        if style == 7:
            return f"{d.day}.{d.month} с.г."
        if style == 8:
            return f"{MONTHS[d.month - 1]} {d.day}"
        if style == 9:
            return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
        if style == 10:
            return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
        return f"{h}:{m:02d} {d.day} {MONTHS[d.month - 1]} of this year"

    def mention(self, key: str | None = None, caps: bool | None = None) -> str:
        p = BY_KEY[key] if key else self.pick(PEOPLE)
        if p.covers and self.r.random() < 0.4:
            cover = self.pick(p.covers)
            return f"{cover} [{p.forms[0]}]" if self.r.random() < 0.5 else cover
        if caps if caps is not None else self.r.random() < 0.3:
            return p.caps
        return self.pick(p.forms)

    def fill(self, template: str) -> str:
        pl = self.pick(PLACES)
        return template.format(p=self.mention(), pl=pl,
                               pl2=self.pick([x for x in PLACES if x != pl]),
                               d=self.date_expr(), n=self.r.choice((40, 200, 1000, 6000, 12000)))

    def paragraph(self) -> str:
        k = self.r.choice((1, 1, 2, 2, 3, 4))
        return " ".join(self.fill(self.pick(SENTENCES)) for _ in range(k))

    def paragraph_ru(self) -> str:
        k = self.r.choice((1, 2, 3))
        out = []
        for _ in range(k):
            s = self.pick(SENTENCES_RU)
            out.append(s.format(pl=self.pick(PLACES_RU), d=self.date_expr(ru=True),
                                p=self.pick(PEOPLE).ru))
        return " ".join(out)

    def letterspaced(self, name: str) -> str:
        return " ".join(name.replace(" ", ""))

    # --- header of the export ---
    def title(self, sender: Person, to: Person, via: Person | None, number: int) -> str:
        s = self.mention(sender.key, caps=False)
        t = self.mention(to.key, caps=False)
        via_s = f" (via {self.pick(via.forms[:2])})" if via else ""
        kind = self.r.randrange(5)
        if kind == 0:
            return f"Ciphered Telegram No. {number} from {s} to {t}{via_s}"
        if kind == 1:
            return f"Ciphered telegram from {s} to {t}{via_s}"
        if kind == 2:
            return f"Telegram from {s} to {t}{via_s}"
        if kind == 3 and via:
            return (f"Ciphered Telegram No. {number}, {via.forms[0]} to Cdes. "
                    f"{self.mention('vasilevsky', caps=False)} and Vyshinsky, transmitting "
                    f"message from {s} to {t}")
        return f"Letter from {s} to {t} on the situation at the front near {self.pick(PLACES)}"

    def wrap_title(self, title: str, bold: bool) -> list[str]:
        """Long titles wrap over lines ending in two spaces (Markdown line breaks)."""
        words, lines, cur = title.split(" "), [], ""
        width = self.r.choice((45, 50, 60))
        for w in words:
            if cur and len(cur) + 1 + len(w) > width:
                lines.append(cur + "  ")
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        lines.append(cur)
        if bold:
            lines[0] = "**" + lines[0]
            lines[-1] = lines[-1] + "**"
        return lines

    def holding(self, archive: str) -> str:
        spelled = self.pick(SPELLED[archive])
        f = self.r.choice(("45", "3", "059a", "558", "5", "16"))
        op = self.r.choice(("1", "5a", "11", "65", "3139"))
        d = self.r.randint(2, 900)
        p = self.r.randint(1, 40)
        a = self.r.randint(1, 200)
        b = a + self.r.randint(1, 6)
        style = self.r.randrange(4 if archive != "RGASPI" else 3)
        if style == 0:
            s = f"{spelled}, Fond {f}, Opis {op}, Delo {d}, "
            if archive == "AVPRF":
                s += f"Papka {p}, "
            s += f"Listy {a}-{b}"
        elif style == 1:
            s = f"{spelled}, f. {f}, op. {op}, d. {d}, "
            if archive == "AVPRF":
                s += f"p. {p}, "
            s += f"ll. {a:04d}-{b:04d}" if self.r.random() < 0.5 else f"ll. {a}-{b}"
        elif style == 2:
            s = f"{spelled}, fond {f}, opis {op}, delo {d}, listy {a}-{b}"
            if self.r.random() < 0.3:
                s += f", {b + 3}-{b + 4}"
        else:
            s = f"{spelled}, f. {f}, op. {op}, d. {d}, l. {a:04d}ob"
        if self.r.random() < 0.15:
            s += " (original copy)"
        return s

    def archival(self) -> str | None:
        kind = self.r.random()
        if kind < 0.07:
            return None
        if kind < 0.14:
            return self.pick(COLLECTIONS).format(p=self.r.randint(10, 300),
                                                 q=self.r.randint(301, 320))
        n = self.r.choice((1, 1, 2, 2, 3))
        archives = self.r.sample(ARCHIVES, n)
        parts = [self.holding(a) for a in archives]
        if n == 1:
            return parts[0]
        if n == 2:
            return f"{parts[0]}{self.r.choice((' and ', '; and ', '; '))}{parts[1]}"
        return f"{parts[0]}; {parts[1]}; and {parts[2]}"

    def url(self) -> str | None:
        if self.r.random() < 0.04:
            return None
        host = self.r.choice(("wilson-center-digital-archive.dvincitest.com",
                              "wilson-center.drivingcreative.com",
                              "digitalarchive.wilsoncenter.org"))
        return f"https://{host}/document/{self.doc_id}"

    # --- body ---
    def transmission_header(self, sender: Person, number: int) -> list[str]:
        r = self.r
        out: list[str] = []
        if r.random() < 0.4:
            out.append(self.pick(("8th Department of the General Staff of the Armed Forces of "
                                  "the USSR", "SECOND MAIN ADMINISTRATION OF THE GENERAL STAFF "
                                  "OF THE SOVIET ARMY", "8th Administration of the General Staff")))
        out.append(self.pick((f"CIPHERED TELEGRAM No. {number}/sh",
                              f"Ciphered Telegram # {number}/sh",
                              f"CIPHERED TELEGRAM No. {number}")))
        style = r.randrange(3)
        d = self.when + dt.timedelta(days=1)
        if style == 0:
            out.append(f"From {sender.place.upper() if r.random() < 0.5 else sender.place} "
                       f"Sent {self.date_expr(d)}")
            out.append(f"Received {self.date_expr(d)}")
        elif style == 1:
            out.append(f"Sent from {sender.place} by wire on {self.date_expr(d)}")
            out.append(f"Received in Moscow on {self.date_expr(d)}")
            out.append(f"Arrived in the 8 MDGS on {self.date_expr(d)}")
            out.append(f"Deciphered by {self.pick(CLERKS)} on {self.date_expr(d)}")
        else:
            out.append(f"FROM: {sender.place.upper()}")
            out.append(f"Received {self.date_expr(d)}")
        if r.random() < 0.5:
            out.append(self.pick(("Extremely Urgent", "Urgent", "Top Secret", "Strictly Secret")))
        return out

    def distribution(self) -> list[str]:
        names = list(POLITBURO[: self.r.randint(3, len(POLITBURO))])
        if self.r.random() < 0.5:
            items = [f"{names[0]} (2)"] + names[1:]
            return [f"Copies: {', '.join(items)}."]
        total = len(names) + 1
        items = [f"{names[0]} - 2"] + [f"{n} - 1" for n in names[1:]]
        head = f"Distribution list - {total} copies:"
        if self.r.random() < 0.5:
            return [f"{head} {', '.join(items[:1])},", f"{', '.join(items[1:])}."]
        return [head, f"{', '.join(items)}."]

    def points(self) -> list[str]:
        n = self.r.randint(2, 5)
        dash = self.r.random() < 0.2
        out = []
        for i in range(1, n + 1):
            text = self.fill(self.pick(POINT_TEXTS))
            if self.r.random() < 0.3:
                text += " " + self.paragraph()
            out.append(f"{'- ' if dash else ''}{i}. {text}")
            if self.r.random() < 0.2:
                for letter in "abc"[: self.r.randint(1, 3)]:
                    out.append(f"{letter}) {self.fill(self.pick(POINT_TEXTS))}")
        return out

    def message(self, sender: Person, to: Person, size: int, quoted: bool) -> list[str]:
        """A letter or telegram: salutation, paragraphs, points, closing, signature."""
        r = self.r
        out = []
        salute = r.choice((f"Dear Comrade {to.caps}", f"To Comrade {self.mention(to.key)}",
                           f"Comrade {to.caps} {self.pick(to.forms)},",
                           f"DEEPLY RESPECTED Comrade {to.caps}."))
        out.append(('"' if quoted else "") + salute)
        for i in range(size):
            out.append(self.paragraph())
            if i == size // 2 and r.random() < 0.5:
                out.append("For this it would be desirable:")
                out.extend(self.points())
        closing = self.pick(CLOSINGS)
        sig = self.pick(sender.forms[:1]) if not sender.covers else self.mention(sender.key)
        if r.random() < 0.3:
            out.append(f"{closing}, {sender.caps}" + ('"' if quoted else ""))
        else:
            out.append(closing)
            out.append(f"Your {sig}" if r.random() < 0.3 else sig)
            out.append(f"{sender.place} {self.date_expr(self.when)}" + ('"' if quoted else ""))
        return out

    def russian(self, sender: Person, to: Person, number: int, size: int) -> list[str]:
        r = self.r
        out = ["# ВТОРОЕ ГЛАВНОЕ УПРАВЛЕНИЕ ГЕНШТАБА СОВЕТСКОЙ АРМИИ",
               f"## ШИФРТЕЛЕГРАММА № {number}",
               "**СОВЕРШЕННО СЕКРЕТНО**  \nСнятие копий воспрещается",
               f"Из {sender.place.upper()} получена {self.date_expr(self.when, ru=True)}",
               f"Товарищу {' '.join(to.ru_dat) if r.random() < 0.3 else to.ru_dat}"]
        sheet = 2
        for i in range(size):
            out.append(self.paragraph_ru())
            if i and i % 6 == 0:
                out += ["(см. сл. лист)", "СОВЕРШЕННО СЕКРЕТНО",
                        f"Продолжение шифртелеграммы № {number}", f"Лист {sheet}"]
                sheet += 1
        out.append(" ".join(sender.ru.replace(" ", "")) if r.random() < 0.5 else sender.ru)
        out.append(f"№ {r.randint(100, 3000)}.")
        out.append(f"{self.when.day}.{self.when.month}.{self.when.year % 100}")
        return out

    def record(self, size: int) -> str:
        r = self.r
        sender_k, to_k, via_k = self.pick(ROUTES)
        sender, to = BY_KEY[sender_k], BY_KEY[to_k]
        via = BY_KEY[via_k] if via_k else None
        number = r.randint(1000, 600000)
        bold = r.random() < 0.5
        b = "**" if bold else ""
        title = self.title(sender, to, via, number)
        date_line = f"{MONTHS[self.when.month - 1]} {self.when.day}, {self.when.year}"
        has_ru = r.random() < 0.12

        head = ["", ""]
        if not bold and r.random() < 0.3:
            head += [f"{date_line} {title}", ""]
        else:
            head += [f"{b}{date_line}{b}", ""] + self.wrap_title(title, bold) + [""]
        cit = f'"{title}", {date_line}, Wilson Center Digital Archive'
        arch = self.archival()
        if arch:
            cit += f", {arch}"
        url = self.url()
        if url:
            style = r.randrange(3)
            if style == 0:
                cit += f".  \n<{url}>"
            elif style == 1:
                cit += f". <{url}>"
            else:
                cit += f" {url}"
        head += [f"{b}Citation:{b}", "", cit, ""]
        topic = self.pick(("the armistice talks", "air defense", "the situation at the front",
                           "the training of pilots", "prisoners of war"))
        summary = (f"Telegram from {sender.forms[0]} to {to.forms[0]} on {topic}. "
                   + self.fill(self.pick(SENTENCES)))
        head += [f"{b}Summary:{b}", "", summary, ""]
        head += [f"{b}Original Language:{b}", "", self.pick(("Russian", "Russian", "Chinese",
                                                              "Korean")), ""]
        contents = "Original Scan  \nTranslation - English" if has_ru else "Translation - English"
        head += [f"{b}Contents:{b}", "", contents, ""]

        body: list[str] = []
        if has_ru:
            body += self.russian(sender, to, number, max(2, size // 2))
            body.append("## SECOND MAIN ADMINISTRATION OF THE GENERAL STAFF OF THE SOVIET ARMY")
        body += self.transmission_header(via or sender, number)
        dist = self.distribution() if r.random() < 0.6 else []
        if r.random() < 0.5:
            body += dist
            dist = []
        if via:
            official = self.pick(("gromyko", "vyshinsky", "vasilevsky"))
            self.parties = [(via.key, official, None), (sender.key, to.key, via.key)]
            body.append(f"To Comrade {self.mention(official)}")
            body.append(f"I herewith relay the text of a letter addressed to Comrade {to.caps} "
                        f"which I received from {sender.caps}.")
            sig = via.caps
            body.append(self.letterspaced(sig) if r.random() < 0.5 else sig)
            body.append(f"No. {r.randint(100, 3000)}")
            if r.random() < 0.4:
                body.append(f"Typed by {self.pick(CLERKS)} on {self.date_expr(self.when)}")
            if r.random() < 0.3:
                body.append("\\* \\* \\* \\* \\*")
            body += self.message(sender, to, size, quoted=r.random() < 0.6)
        else:
            body += self.message(sender, to, size, quoted=False)
            self.parties = [(sender.key, to.key, None)]
            if r.random() < 0.25:
                # An embedded telegram quoted in full inside the outer one.
                other = BY_KEY[self.pick(("kim-il-sung", "peng-dehuai", "zhou-enlai"))]
                self.parties.append((other.key, sender.key, None))
                body.append(f"I send you for familiarization the text of the telegram of "
                            f"{self.date_expr()} from Comrade {other.caps}:")
                body += self.message(other, sender, max(1, size // 3), quoted=True)
        body += dist
        if r.random() < 0.3:
            body.append(f"{self.when.day} {MONTHS[self.when.month - 1]} {self.when.year} "
                        f"No. {r.randint(100, 999)}/sh Copy No. 1 To {to.forms[0]}")
        lines = head + [x for line in body for x in (line, "")]
        return "\n".join(lines).rstrip("\n")


def record_sizes(rng: random.Random) -> int:
    """Paragraphs in the body: mostly short, a tail of several-page records."""
    x = rng.random()
    if x < 0.25:
        return rng.randint(1, 3)
    if x < 0.85:
        return rng.randint(4, 14)
    return rng.randint(15, 45)


def generate(n: int, seed: int = 1) -> Iterator[tuple[str, str]]:
    """Yield ``(file name, text)`` for ``n`` records, deterministic from ``seed``."""
    for name, text, _ in generate_with_parties(n, seed):
        yield name, text


def generate_with_parties(n: int, seed: int = 1
                          ) -> Iterator[tuple[str, str, list[tuple[str, str, str | None]]]]:
    """As :func:`generate`, with each record's messages as (sender, recipient, via) ids."""
    rng = random.Random(seed)
    start = dt.date(1949, 3, 1)
    span = (dt.date(1953, 7, 27) - start).days
    for i in range(n):
        when = start + dt.timedelta(days=rng.randrange(span))
        gen = _Gen(rng, 300000 + seed * 100000 + i, when)
        text = gen.record(record_sizes(rng))
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        yield f"{i:06d}_{digest}.txt", text, gen.parties


def record_text(seed: int, size: int | None = None) -> str:
    """One record, deterministic from ``seed``; ``size`` paragraphs (else drawn as usual).

    The fuzzer's starting point (benchmarks/fuzz.py): any integer is a record.
    """
    rng = random.Random(seed)
    start = dt.date(1949, 3, 1)
    when = start + dt.timedelta(days=rng.randrange((dt.date(1953, 7, 27) - start).days))
    gen = _Gen(rng, 100000 + seed % 900000, when)
    return gen.record(size if size is not None else record_sizes(rng))


def write_corpus(n: int, out_dir: str | Path, seed: int = 1) -> list[Path]:
    """Write ``n`` records into ``out_dir`` and return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in generate(n, seed):
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
