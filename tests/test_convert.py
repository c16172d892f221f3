"""The converter, read like the encoding spec: a small record in, the TEI expected out."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from tests._corpus import RECORDS, SEEDS, convert, converter

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XID = "{http://www.w3.org/XML/1998/namespace}id"


def record(body: str, title: str = "Ciphered Telegram from Shtykov to Filippov",
           date: str = "September 30, 1950", citation: str | None = None) -> str:
    cit = citation or (f'"{title}", {date}, Wilson Center Digital Archive, APRF, Fond 45, '
                       "Opis 1, Delo 347, Listy 41-45. <https://example.org/document/990001>")
    return (f"\n\n**{date}**\n\n**{title}**\n\n**Citation:**\n\n{cit}\n\n**Summary:**\n\n"
            "A telegram.\n\n**Original Language:**\n\nRussian\n\n**Contents:**\n\n"
            f"Translation - English\n\n{body.strip()}\n")


def tei(body: str, **kw) -> etree._Element:
    return etree.fromstring(convert(record(body, **kw)).tei)


def frag(el: etree._Element) -> str:
    s = etree.tostring(el, encoding="unicode", with_tail=False)
    return re.sub(r' xmlns(:\w+)?="[^"]+"', "", s)


def one(root: etree._Element, xpath: str) -> etree._Element:
    found = root.xpath(xpath, namespaces=NS)
    assert len(found) == 1, f"{xpath}: {len(found)} found"
    return found[0]


# --- editorial brackets ---------------------------------------------------------

def test_gap():
    p = one(tei("We need [...] and more [. . .] now."), "//t:body//t:p")
    assert frag(p) == ('<p>We need <gap reason="omitted"/> and more '
                       '<gap reason="omitted" rend="[. . .]"/> now.</p>')


def test_abbreviation_and_expansion():
    p = one(tei("The operations of VVS [air force] go on."), "//t:body//t:p")
    assert frag(p) == ("<p>The operations of <choice><abbr>VVS</abbr><expan>air force</expan>"
                       "</choice> go on.</p>")


def test_pseudonym_with_gloss():
    p = one(tei("I report to Comrade Filippov [Stalin] about it."), "//t:body//t:p")
    assert frag(p) == ('<p>I report to Comrade <persName ref="#stalin" type="pseudonym">Filippov'
                       '</persName> <note type="gloss"><persName ref="#stalin">Stalin</persName>'
                       "</note> about it.</p>")


def test_supplied_sic_and_typed_notes():
    root = tei("Send bombers deep in enemy [territory] to Seol [sic].\n\n"
               "[Translator's note: the word is unclear.]\n\n"
               "It was received [Stamp: Secretariat of Comrade Molotov].")
    assert root.xpath("//t:supplied[@reason='clarity']/text()", namespaces=NS) == ["territory"]
    assert root.xpath("//t:sic/text()", namespaces=NS) == ["Seol"]
    assert root.xpath("//t:note[@type='sic']/text()", namespaces=NS) == ["sic"]
    assert root.xpath("string(//t:note[@type='translator'])", namespaces=NS) == \
        "Translator's note: the word is unclear."
    # "[Stamp: ...]" is TEI's stamp (ENCODING.md), its label kept inside.
    assert root.xpath("string(//t:p/t:stamp)", namespaces=NS) == \
        "Stamp: Secretariat of Comrade Molotov"


def test_note_signed_by_an_editor_has_resp_declared_in_the_header():
    root = tei("We mobilised 100,000 troops [captured in South Korea - AM] for the front.")
    note = one(root, "//t:note[@type='editorial']")
    assert note.get("resp") == "#AM"
    assert one(root, "//t:titleStmt/t:respStmt[@xml:id='AM']") is not None


# --- names and dates --------------------------------------------------------------

def test_letterspaced_signature():
    signed = one(tei("I report.\n\nS H T Y K O V"), "//t:closer/t:signed")
    assert frag(signed) == ('<signed><persName ref="#shtykov" rendition="#letterspaced">SHTYKOV'
                            "</persName></signed>")


def test_russian_case_endings_and_ocr_slip():
    root = tei("Передайте товарищу СТАЛИНУ и Kim II Sung ответ.")
    assert root.xpath("//t:p/t:persName/@ref", namespaces=NS) == ["#stalin", "#kim-il-sung"]


def test_unknown_person_is_tagged_without_ref_and_reported():
    conv = convert(record("I report.\n\nBELOKOSTOV"))
    root = etree.fromstring(conv.tei)
    assert frag(one(root, "//t:closer/t:signed")) == \
        "<signed><persName>BELOKOSTOV</persName></signed>"
    assert "BELOKOSTOV" in conv.unknown_names


def test_dates_are_normalised_and_inferences_marked():
    root = tei("Sent from Pyongyang by wire on 09/30/50 at 20:35 p.m.\n\nReceived 17.7 20:50\n\n"
               "I report.")
    whens = root.xpath("//t:body//t:date/@when", namespaces=NS)
    assert "1950-09-30T20:35:00" in whens
    inferred = one(root, "//t:body//t:date[. = '17.7 20:50']")
    assert inferred.get("when").startswith("1950-07-17")
    assert "#infer-year" in inferred.get("ana")
    # Every reason pointed at is declared in the taxonomy.
    for ana in root.xpath("//@ana", namespaces=NS):
        for ref in ana.split():
            assert one(root, f"//t:taxonomy/t:category[@xml:id='{ref[1:]}']") is not None


# --- structure ----------------------------------------------------------------------

def test_transmission_header_is_the_opener():
    root = tei("CIPHERED TELEGRAM No. 502597/sh\n\nSent 17.7.52 18:45\n\nExtremely Urgent\n\n"
               "To Comrade A. Vasilevsky\n\nI report the letter.\n\nRAZUVAEV\n\nNo. 2250")
    opener = one(root, "//t:div[@type='telegram']/t:opener")
    assert [etree.QName(c).localname + ":" + (c.get("type") or "") for c in opener] == [
        "seg:telegram-number", "dateline:", "seg:urgency", "salute:"]
    closer = one(root, "//t:div[@type='telegram']/t:closer")
    assert [etree.QName(c).localname for c in closer] == ["signed", "seg"]


def test_numbered_points_and_lettered_subpoints():
    root = tei("We propose:\n\n1. First point.\n\n2. Second point:\n\na) one;\n\nb) two.\n\n"
               "3. Third point.\n\nRAZUVAEV")
    lst = one(root, "//t:list[@type='numbered']")
    assert [i.get("n") for i in lst.findall("t:item", NS)] == ["1", "2", "3"]
    sub = one(root, "//t:item[@n='2']/t:list[@type='lettered']")
    assert [i.get("n") for i in sub.findall("t:item", NS)] == ["a", "b"]


def test_distribution_list():
    root = tei("I report.\n\nDistribution list - 5 copies: Stalin - 2,\n\nMolotov - 1, "
               "Beria - 1.\n\nRAZUVAEV")
    lst = one(root, "//t:list[@type='distribution']")
    assert lst.findtext("t:head", namespaces=NS) == "Distribution list - 5 copies:"
    assert frag(lst.findall("t:item", NS)[0]) == (
        '<item><persName ref="#stalin">Stalin</persName> - '
        '<num type="copies" value="2">2</num>,</item>')
    assert len(lst.findall("t:item", NS)) == 3
    cc = one(root, "//t:correspDesc[1]/t:correspAction[@subtype='cc']")
    assert cc.xpath("t:persName/@ref", namespaces=NS) == ["#stalin", "#molotov", "#beria"]


def test_embedded_telegram_is_quoted_with_its_own_opener_and_closer():
    root = tei('I transmit the following:\n\n"To Comrade KIM IL SUNG.\n\nWe agree.\n\n'
               'With greetings! MAO ZEDONG, 3:00, 15.7.52"\n\nRAZUVAEV',
               title="Telegram from Razuvaev to Vyshinsky")
    emb = one(root, "//t:quote/t:floatingText/t:body/t:div[@type='embedded']")
    assert emb.find("t:opener/t:salute", NS) is not None
    closer = emb.find("t:closer", NS)
    assert [etree.QName(c).localname for c in closer] == ["salute", "signed", "dateline"]
    msg_id = emb.get("{http://www.w3.org/XML/1998/namespace}id")
    cd = one(root, f"//t:correspDesc[@corresp='#{msg_id}']")
    assert cd.xpath("t:correspAction[@type='sent']/t:persName/@ref", namespaces=NS) == \
        ["#mao-zedong"]
    assert cd.xpath("t:correspAction[@type='received']/t:persName/@ref", namespaces=NS) == \
        ["#kim-il-sung"]


def test_outer_correspondence_from_the_title_with_transmitter():
    root = tei("Sent from Pyongyang by wire on 09/30/50 at 20:35 p.m.\n\n"
               "Received in Moscow on 09/30/50 at 23:32 p.m.\n\nWe report.\n\nKIM IL SUNG",
               title="Ciphered Telegram from Kim Il Sung to Stalin (via Shtykov)")
    cd = one(root, "//t:correspDesc[1]")
    sent = one(cd, "t:correspAction[@type='sent']")
    assert sent.xpath("t:persName/@ref", namespaces=NS) == ["#kim-il-sung"]
    assert sent.xpath("t:placeName/@ref", namespaces=NS) == ["#place-pyongyang"]
    assert sent.xpath("t:date/@when", namespaces=NS) == ["1950-09-30T20:35:00"]
    assert cd.xpath("t:correspAction[@type='transmitted']/t:persName/@ref",
                    namespaces=NS) == ["#shtykov"]
    recv = one(cd, "t:correspAction[@type='received']")
    assert recv.xpath("t:placeName/@ref", namespaces=NS) == ["#place-moscow"]


def test_sheet_break_inside_a_paragraph():
    root = tei("Однако, раз война началась, Китай начал помо-\n\n(СМ.СЛ.ЛИСТ)\n\n"
               "СОВЕРШЕННО СЕКРЕТНО\n\nЛист „ 2 “\n\n"
               "гать Корее.\n\nМАО ЦЗЕ-ДУН")
    p = one(root, "//t:body//t:p")
    assert [etree.QName(c).localname + ":" + (c.get("type") or c.get("n") or "")
            for c in p if etree.QName(c).localname != "lb"] == [
        "placeName:", "fw:catch", "fw:header", "pb:2", "fw:pageNum", "placeName:"]


def test_russian_original_and_translation_are_linked():
    root = tei("Товарищу ФИЛИППОВУ\n\nДокладываю, что письмо получено.\n\nРАЗУВАЕВ\n\n"
               "To Comrade FILIPPOV\n\nI report that the letter was received.\n\nRAZUVAEV")
    ru, en = root.xpath("//t:body/t:div", namespaces=NS)
    assert (ru.get("type"), ru.get("{http://www.w3.org/XML/1998/namespace}lang")) == \
        ("original", "ru")
    assert (en.get("type"), en.get("{http://www.w3.org/XML/1998/namespace}lang")) == \
        ("translation", "en")
    assert ru.get("corresp") == "#" + en.get("{http://www.w3.org/XML/1998/namespace}id")


def test_one_correspdesc_per_message_taken_from_the_translation():
    """Original and translation hold the same messages: each is listed once, from the
    English translation; the original's message divs point at their twins."""
    root = tei("Из ПЕКИНА получена 12.15 18.7.52\n\nТоварищу ФИЛИППОВУ\n\n"
               "Докладываю, что письмо получено.\n\nРАЗУВАЕВ\n\n"
               "To Comrade FILIPPOV\n\nI report that the letter was received.\n\nRAZUVAEV",
               title="Ciphered Telegram from Razuvaev to Filippov")
    cds = root.xpath("//t:correspDesc", namespaces=NS)
    assert len(cds) == 1
    en_msg = one(root, "//t:div[@type='translation']/t:div[@type='telegram']")
    ru_msg = one(root, "//t:div[@type='original']/t:div[@type='telegram']")
    en_id = en_msg.get("{http://www.w3.org/XML/1998/namespace}id")
    assert cds[0].get("corresp") == "#" + en_id
    assert ru_msg.get("corresp") == "#" + en_id
    # The received line is only in the Russian form: its date fills the translation's gap.
    assert cds[0].xpath("t:correspAction[@type='received']/t:date/@when",
                        namespaces=NS) == ["1952-07-18T12:15:00"]


def test_closing_line_of_date_number_and_copy_is_split():
    root = tei("I report.\n\nFeng Xi [Stalin]\n\n28 August 1950 No. 483/sh Copy No. 1 To Stalin")
    closer = one(root, "//t:closer")
    assert [(etree.QName(c).localname, c.get("type")) for c in closer] == [
        ("signed", None), ("dateline", None), ("seg", "telegram-number"), ("seg", "copy")]
    assert one(closer, "t:dateline/t:date").get("when") == "1950-08-28"
    assert frag(one(closer, "t:seg[@type='copy']")) == \
        '<seg type="copy">Copy No. 1 To <persName ref="#stalin">Stalin</persName></seg>'


def test_telegram_number_and_address_on_one_line():
    root = tei("CIPHERED TELEGRAM No. 75021 Pyongyang Soviet Ambassador.\n\n"
               "Verbally transmit the following to Kim Il Sung.\n\nFILIPPOV")
    opener = one(root, "//t:opener")
    assert frag(opener.find("t:seg", NS)) == \
        '<seg type="telegram-number">CIPHERED TELEGRAM No. 75021</seg>'
    assert "".join(one(opener, "t:salute").itertext()) == "Pyongyang Soviet Ambassador."
    assert root.xpath("//t:correspDesc[1]/t:correspAction[@type='received']/t:placeName/@ref",
                      namespaces=NS) == ["#place-pyongyang"]


def test_number_under_the_signature_is_the_telegram_number():
    root = tei("I report.\n\nMAO ZEDONG\n\nNo. 2084\n18.7.52")
    closer = one(root, "//t:closer")
    assert [(etree.QName(c).localname, c.get("type")) for c in closer] == [
        ("signed", None), ("seg", "telegram-number"), ("dateline", None)]


def test_copies_made_line_belongs_to_the_closer():
    root = tei("Посылаю Вам текст.\n\nМАО ЦЗЕ-ДУН\n\n№ 2084.\n\n18.7.52\n\nОтп. 14 экз.")
    closer = one(root, "//t:closer")
    assert [(etree.QName(c).localname, c.get("type")) for c in closer] == [
        ("signed", None), ("seg", "telegram-number"), ("dateline", None), ("seg", "copy")]


def test_margin_note_number_addressee_sheet():
    root = tei("7. Сталину 72\n\nШИФРТЕЛЕГРАММА № 21646\n\nПосылаю Вам текст.\n\nМАО ЦЗЕ-ДУН")
    opener = one(root, "//t:opener")
    assert re.sub(r">\s+<", "> <", frag(opener)).startswith(
        '<opener> <seg type="number">7.</seg> <salute><persName ref="#stalin">Сталину</persName>'
        '</salute> <fw type="pageNum">72</fw>')


def test_quotation_after_the_signed_telegram_is_an_enclosure():
    root = tei("I report the letter from KIM IL SUNG.\n\nRAZUVAEV\n\n"
               "Copies: Stalin (2), Molotov.\n\nNo. 2250\n\n17.7.52\n\n"
               '"Respected comrade ambassador, I ask you to help.\n\n'
               'With deep respect\n\nYour Kim Il Sung"')
    version = one(root, "//t:body/t:div")
    assert [(d.get("type")) for d in version] == ["telegram", "embedded"]
    closer = one(version, "t:div[@type='telegram']/t:closer")
    # The signature and the copy list under it are the closer's too (the list in a seg).
    assert [(etree.QName(c).localname, c.get("type")) for c in closer] == [
        ("signed", None), ("seg", "distribution"), ("seg", "telegram-number"),
        ("dateline", None)]
    assert not root.xpath("//t:quote", namespaces=NS)


def test_enclosed_letter_keeps_the_telegram_it_quotes_nested():
    root = tei("I report the letter from KIM IL SUNG.\n\nRAZUVAEV\n\nNo. 2250\n\n"
               '"Respected comrade ambassador, I ask you to pass on this telegram:\n\n'
               '"Dear Comrade STALIN\n\nWe ask for help.\n\nYour Kim Il Sung"',
               title="Ciphered Telegram from Razuvaev to Vasilevsky")
    enclosure = one(root, "//t:body/t:div/t:div[@type='embedded']")
    inner = one(enclosure, "t:quote/t:floatingText/t:body/t:div[@type='embedded']")
    assert inner.xpath("string(t:opener/t:salute)", namespaces=NS) == '"Dear Comrade STALIN'


def test_letter_to_the_ambassador_is_addressed_to_the_telegrams_sender():
    """"Respected comrade ambassador": the telegram's sender is the ambassador (their
    occupation in the personography), so the letter's recipient is named."""
    root = tei("I report the letter from KIM IL SUNG.\n\nRAZUVAEV\n\nNo. 2250\n\n"
               '"Respected comrade ambassador, I ask you to pass on our request.\n\n'
               'Your Kim Il Sung"',
               title="Ciphered Telegram from Razuvaev to Vasilevsky")
    enclosure = one(root, "//t:body/t:div/t:div[@type='embedded']")
    cd = one(root, f"//t:correspDesc[@corresp='#{enclosure.get(XID)}']")
    assert cd.xpath("t:correspAction[@type='received']/t:persName/@ref", namespaces=NS) == \
        ["#razuvaev"]


def test_parties_of_a_quoted_letter_from_its_introduction():
    root = tei("I herewith relay the text of a letter addressed to Comrade STALIN which I "
               "received from KIM IL SUNG and PAK HEON-YEONG:\n\n"
               '"On behalf of the party we ask for help.\n\nWe await your answer."\n\n'
               "SHTYKOV", title="Ciphered Telegram from Shtykov to Gromyko")
    msg = one(root, "//t:quote//t:div[@type='embedded']")
    cd = one(root, f"//t:correspDesc[@corresp='#{msg.get(XID)}']")
    assert cd.xpath("t:correspAction[@type='sent']/t:persName/@ref", namespaces=NS) == \
        ["#kim-il-sung", "#pak-heon-yeong"]
    assert cd.xpath("t:correspAction[@type='received']/t:persName/@ref", namespaces=NS) == \
        ["#stalin"]


def test_distribution_after_the_enclosed_letter_is_the_telegrams():
    root = tei("I relay the letter.\n\nROSHCHIN\n\n\\* \\* \\* \\* \\*\n\n"
               '"To Comrade Iosif Vissarionovich\n\nWe report.\n\nWe ask for help.\n\n'
               'Respectfully, MAO ZEDONG"\n\nCopies: Stalin (2), Molotov.\n\n25 November 1949',
               title="Ciphered Telegram from Roshchin to Gromyko")
    telegram, letter = root.xpath("//t:correspDesc", namespaces=NS)
    assert telegram.xpath("t:correspAction[@subtype='cc']/t:persName/@ref",
                          namespaces=NS) == ["#stalin", "#molotov"]
    assert not letter.xpath("t:correspAction[@subtype='cc']", namespaces=NS)
    assert letter.xpath("t:correspAction[@type='sent']/t:persName/@ref",
                        namespaces=NS) == ["#mao-zedong"]
    version = one(root, "//t:body/t:div")
    assert [d.get("type") for d in version] == ["telegram", "embedded", "archival"]
    assert one(version, "t:div[@type='embedded']/t:closer/t:signed").xpath(
        "string()") == 'MAO ZEDONG"'
    assert [etree.QName(c).localname for c in one(version, "t:div[@type='archival']")] == [
        "list", "closer"]


def test_paragraphs_aligned_when_original_and_translation_match():
    root = tei("Товарищу ФИЛИППОВУ\n\nДокладываю, что письмо получено вчера вечером.\n\n"
               "1. Войска готовы.\n\n2. Самолёты готовы к вылету.\n\nРАЗУВАЕВ\n\n"
               "To Comrade FILIPPOV\n\nI report that the letter was received last night.\n\n"
               "1. The troops are ready.\n\n2. The airplanes are ready to fly.\n\nRAZUVAEV")
    ru_p = one(root, "//t:div[@type='original']//t:p")
    en_p = one(root, "//t:div[@type='translation']//t:p")
    assert ru_p.get("corresp") == "#" + en_p.get(XID)
    assert en_p.get("corresp") == "#" + ru_p.get(XID)
    ru_items = root.xpath("//t:div[@type='original']//t:item", namespaces=NS)
    en_items = root.xpath("//t:div[@type='translation']//t:item", namespaces=NS)
    assert [i.get("corresp") for i in ru_items] == ["#" + i.get(XID) for i in en_items]


def test_paragraphs_not_aligned_when_the_translator_regrouped_them():
    """Same count of paragraphs, but one split and two joined: no alignment is claimed."""
    root = tei("Товарищу ФИЛИППОВУ\n\nДокладываю.\n\n"
               "Письмо получено вчера вечером, и войска готовы к наступлению на рассвете.\n\n"
               "РАЗУВАЕВ\n\nTo Comrade FILIPPOV\n\n"
               "I report that the letter was received last night.\n\n"
               "The troops are ready.\n\nRAZUVAEV")
    assert not root.xpath("//t:p[@corresp]", namespaces=NS)


def test_form_lines_after_a_distribution_list_stay_header_blocks():
    root = tei("CIPHERED TELEGRAM No. 21646\n\nCopies: Stalin (2), Molotov\n\n"
               'Series "G" T\n\nTo Comrade FILIPPOV\n\nI send to you the text.\n\nMAO ZEDONG')
    msg = one(root, "//t:div[@type='telegram']")
    # One opener for the whole header: the list inside it in a seg, the address a salute.
    assert [(etree.QName(c).localname, c.get("type")) for c in msg] == [
        ("opener", None), ("p", None), ("closer", None)]
    assert [(etree.QName(c).localname, c.get("type")) for c in one(msg, "t:opener")] == [
        ("seg", "telegram-number"), ("seg", "distribution"), ("seg", "form"),
        ("salute", None)]


def test_copy_number_at_the_end_of_a_transmission_line():
    root = tei("Из ПЕКИНА получена 12.15 18.7.52 Экз. № 2\n\nТоварищу ФИЛИППОВУ\n\n"
               "Посылаю Вам текст.\n\nМАО ЦЗЕ-ДУН")
    opener = one(root, "//t:opener")
    assert [(etree.QName(c).localname, c.get("type")) for c in opener][:2] == [
        ("dateline", None), ("seg", "copy")]
    assert opener.findtext("t:seg", namespaces=NS) == "Экз. № 2"


def test_record_with_a_letter_after_the_signed_telegram():
    """tests/records/r11: cover telegram signed, listed, numbered; then the letter it passes
    on, itself quoting a letter to Stalin."""
    src = next(r for r in RECORDS if r.name.startswith("r11_"))
    root = etree.fromstring(converter().convert_file(src).tei)
    closer = one(root, "//t:div[@type='telegram']/t:closer")
    assert [(etree.QName(c).localname, c.get("type")) for c in closer] == [
        ("signed", None), ("seg", "distribution"), ("dateline", None),
        ("seg", "telegram-number"), ("seg", "copy")]
    letter, inner = root.xpath("//t:div[@type='embedded']", namespaces=NS)
    assert letter.getparent().get("type") == "translation"
    cds = {cd.get("corresp"): cd for cd in root.xpath("//t:correspDesc", namespaces=NS)}
    sent = cds["#" + letter.get(XID)].xpath("t:correspAction[@type='sent']/t:persName/@ref",
                                           namespaces=NS)
    received = cds["#" + letter.get(XID)].xpath(
        "t:correspAction[@type='received']/t:persName/@ref", namespaces=NS)
    assert (sent, received) == (["#pak-heon-yeong", "#kim-il-sung"], ["#razuvaev"])
    assert cds["#" + inner.get(XID)].xpath(
        "t:correspAction[@type='received']/t:persName/@ref", namespaces=NS) == ["#stalin"]


def test_transmission_lines_with_yearless_and_roman_month_dates_are_datelines():
    root = tei("CIPHERED TELEGRAM No. 76954\n\nReceived January 10\n\n"
               "Arrived in the 8 MDGS on 19.VI.50\n\nTo Comrade Vasilevsky\n\nI report.\n\n"
               "SHTYKOV")
    opener = one(root, "//t:opener")
    assert [etree.QName(c).localname for c in opener] == [
        "seg", "dateline", "dateline", "salute"]


# --- header --------------------------------------------------------------------------

def test_msdesc_per_holding_with_typed_idno_and_locus():
    cit = ('"T", September 30, 1950, Wilson Center Digital Archive, APRF, fond 45, opis 1, '
           "delo 347, listy 41-45; and AVPRF, Fond 059a, Opis 5a, Delo 4, Papka 11, "
           "Listy 155-156ob. https://example.org/document/990002")
    root = tei("I report.", citation=cit)
    ms = root.xpath("//t:sourceDesc/t:msDesc", namespaces=NS)
    assert len(ms) == 2
    ident = ms[1].find("t:msIdentifier", NS)
    assert ident.findtext("t:repository", namespaces=NS) == \
        "Archive of Foreign Policy of the Russian Federation"
    assert [(i.get("type"), i.text) for i in ident.findall("t:idno", NS)] == [
        ("fond", "059a"), ("opis", "5a"), ("delo", "4"), ("papka", "11")]
    locus = ms[1].find(".//t:locus", NS)
    assert (locus.get("from"), locus.get("to")) == ("155", "156ob")
    bibl = one(root, "//t:sourceDesc/t:bibl[@type='citation']")
    assert "".join(bibl.itertext()) == cit
    assert bibl.find("t:ref", NS).get("target") == "https://example.org/document/990002"


def test_standoff_carries_every_entry_pointed_at():
    root = tei("I report to Comrade STALIN and Comrade MAO ZEDONG in Moscow.")
    refs = {r[1:] for r in root.xpath("//t:text//@ref", namespaces=NS)}
    ids = set(root.xpath("//t:standOff//@xml:id", namespaces=NS))
    assert refs <= ids


def test_no_clock_time_and_deterministic():
    text = record("I report on 17.7.52.\n\nS H T Y K O V")
    a = converter().convert_text(text, "a.txt").tei
    b = converter().convert_text(text, "a.txt").tei
    assert a == b
    assert b"Converted by teipipe" in a


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seeds_convert_twice_to_the_same_bytes(seed):
    from pipeline.convert import Converter

    assert Converter().convert_file(seed).tei == converter().convert_file(seed).tei


def test_contents_and_other_sections_are_kept_in_notes():
    text = record("To Comrade MAO ZEDONG\n\nAgreed.\n\nFILIPPOV").replace(
        "**Summary:**", "**Keywords:**\n\nKorean War; Armistice\n\n**Summary:**")
    root = etree.fromstring(convert(text).tei)
    ns = one(root, "//t:fileDesc/t:notesStmt")
    assert ns.xpath("t:note[@type='contents']/t:title/text()", namespaces=NS) == \
        ["Translation - English"]
    assert ns.xpath("t:note[@type='section'][@n='Keywords']/text()", namespaces=NS) == \
        ["Korean War; Armistice"]


def test_footnote_marks_and_page_numbers():
    root = tei("The enemy attacked at dawn[1] and was repelled.\n\n- 2 -\n\nWe held.\n\n"
               "RAZUVAEV\n\n[1] At Kaeseong.")
    assert frag(one(root, "//t:p/t:ref")) == '<ref type="noteAnchor" n="1">1</ref>'
    assert root.xpath("//t:body//t:pb/@n", namespaces=NS) == ["2"]
    note = one(root, "//t:div[@type='telegram']/t:closer/following-sibling::t:note")
    assert (note.get("type"), note.get("n")) == ("footnote", "1")


def test_a_quoted_message_of_salute_and_signature_only_is_valid():
    root = tei('I transmit:\n\n"To Comrade KIM IL SUNG.\n\nFILIPPOV"\n\nVYSHINSKY')
    emb = one(root, "//t:div[@type='embedded']")
    # No closer right after the opener (TEI wants text between them): the signature
    # joins the opener, as a signed (not an ab that copies its name).
    assert [etree.QName(c).localname for c in emb] == ["opener"]
    assert [etree.QName(c).localname for c in one(emb, "t:opener")] == ["salute", "signed"]
    assert one(emb, "t:opener/t:signed/t:persName").get("ref") == "#stalin"


def test_a_letter_after_a_rule_of_asterisks_is_an_enclosed_message():
    root = tei('I relay the letter.\n\nSHTYKOV\n\n\\* \\* \\* \\* \\*\n\n"Dear Comrade STALIN\n\n'
               'We report.\n\nKIM IL SUNG"')
    divs = root.xpath("//t:body/t:div/t:div", namespaces=NS)
    assert [d.get("type") for d in divs] == ["telegram", "embedded"]
    assert divs[1][0].get("rend") == "\\* \\* \\* \\* \\*"
    cd = one(root, "//t:correspDesc[2]")
    assert cd.xpath("t:correspAction[@type='sent']/t:persName/@ref", namespaces=NS) == \
        ["#kim-il-sung"]


def test_messages_of_original_and_translation_point_at_each_other():
    root = tei('Товарищу ФИЛИППОВУ\n\nПередаю письмо:\n\n"Товарищу СТАЛИНУ.\n\nПросим помощи.\n\n'
               'КИМ ИР СЕН"\n\nРАЗУВАЕВ\n\nTo Comrade FILIPPOV\n\nI transmit the letter:\n\n'
               '"To Comrade STALIN.\n\nWe ask for help.\n\nKIM IL SUNG"\n\nRAZUVAEV')
    pairs = [(d.get("{http://www.w3.org/XML/1998/namespace}id"), d.get("corresp"))
             for d in root.xpath("//t:div[@type='telegram' or @type='embedded']",
                                 namespaces=NS)]
    ids = [p[0] for p in pairs]
    assert pairs == [(ids[0], "#" + ids[2]), (ids[1], "#" + ids[3]),
                     (ids[2], "#" + ids[0]), (ids[3], "#" + ids[1])]


def test_a_body_can_be_a_party():
    # Unsigned: the title is the fallback, and it names a body.
    root = tei("To Comrade STALIN\n\nWe thank you.",
               title="Letter from the Workers' Party of Korea to Stalin")
    sent = one(root, "//t:correspDesc[1]/t:correspAction[@type='sent']")
    assert sent.xpath("t:orgName/@ref", namespaces=NS) == ["#org-wpk"]


def test_the_signature_beats_the_title_and_the_difference_is_reported():
    conv = convert(record("To Comrade STALIN\n\nWe thank you.\n\nKIM IL SUNG",
                          title="Letter from the Workers' Party of Korea to Stalin"))
    root = etree.fromstring(conv.tei)
    sent = one(root, "//t:correspDesc[1]/t:correspAction[@type='sent']")
    assert sent.xpath("t:persName/@ref", namespaces=NS) == ["#kim-il-sung"]
    assert any(p.code == "title-parties" for p in conv.problems)


def test_a_rule_stuck_to_the_last_line_is_not_text():
    dl = one(tei("I report.\n\nRAZUVAEV\n\nPyongyang 16.7.52.====="), "//t:closer/t:dateline")
    assert dl.find("t:milestone", NS).get("rend") == "====="
    assert "".join(dl.itertext()) == "Pyongyang 16.7.52."
