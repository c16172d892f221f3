"""A TEI tree -> bytes, indented only where whitespace cannot change the text."""

from __future__ import annotations

from lxml import etree

from pipeline import resources

#: Elements whose content is only elements: their children are indented.
_STRUCTURAL = {"TEI", "teiHeader", "fileDesc", "titleStmt", "notesStmt", "respStmt",
               "publicationStmt",
               "availability", "sourceDesc", "msDesc", "msIdentifier", "altIdentifier",
               "msContents", "msItem", "profileDesc", "abstract", "langUsage", "correspDesc",
               "correspContext",
               "correspAction", "encodingDesc", "editorialDecl", "classDecl", "taxonomy",
               "category", "tagsDecl", "appInfo", "application", "revisionDesc", "text", "body",
               "div", "opener", "postscript",
               "closer", "list", "quote", "floatingText", "standOff", "listPerson", "person",
               "listPlace", "place", "listOrg", "org", "table", "row", "location", "birth",
               "death", "occupation", "linkGrp", "bibl"}


def _structural(tag: object) -> bool:
    """Whether an element's children are indented (by its local name; comments never)."""
    known = _STRUCTURAL_TAGS.get(tag)
    if known is None:
        known = _STRUCTURAL_TAGS[tag] = isinstance(tag, str) and \
            tag[tag.rfind("}") + 1:] in _STRUCTURAL
    return known


_STRUCTURAL_TAGS: dict[object, bool] = {}


def indent(el: etree._Element, level: int = 0) -> None:
    """Pretty-print only where whitespace cannot change the text (element-only content)."""
    if _structural(el.tag):
        _indent(el, level)


_SEG = "{http://www.tei-c.org/ns/1.0}seg"


def _indent(el: etree._Element, level: int) -> None:
    # ``el`` is structural; only structural children are visited (the others are left
    # as they are, so the call would do nothing).
    children = list(el)
    if not children:
        return
    if (el.text and el.text.strip()) or any(c.tail and c.tail.strip() for c in children):
        for c in children:
            if _structural(c.tag):
                _indent(c, level + 1)
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for c in children:
        c.tail = pad
        if _structural(c.tag):
            _indent(c, level + 1)
        elif c.tag == _SEG:
            # A distribution list in an opener or closer sits in a seg (mixed content):
            # the list's own items are indented, never the seg's text around it.
            for gc in c:
                if _structural(gc.tag):
                    _indent(gc, level + 2)
    children[-1].tail = "\n" + "  " * level


def serialise(tei: etree._Element) -> bytes:
    indent(tei)
    # The <?xml-model?> PIs (TEI Guidelines): an editor opening the file finds its
    # RELAX NG and Schematron, and `teipipe validate` knows it is a telegram.
    return (b"<?xml version='1.0' encoding='UTF-8'?>\n"
            + resources.xml_model_pis().encode("utf-8")
            + etree.tostring(tei, encoding="UTF-8") + b"\n")
