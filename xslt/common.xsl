<?xml version="1.0" encoding="UTF-8"?>
<!--
  Functions shared by every teipipe stylesheet: names from the document's own
  standOff, dates for people, which notes become footnotes, the document's id.
  Everything here reads one TEI document and works on anyone's TEI, not only ours.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:teipipe:functions"
    exclude-result-prefixes="#all">

  <!-- The id of the document when it has none of its own (set by the caller from the file name). -->
  <xsl:param name="doc-id" as="xs:string" select="''"/>

  <xsl:key name="xmlid" match="*[@xml:id]" use="string(@xml:id)"/>

  <!-- ===== The edition's settings (pipeline/settings.py: teipipe.toml and the command line) =====
       Every one is text, '' when not set; docs/render.md lists them for customised stylesheets.
       Lists come one item per line (editors, their e-mail addresses: the n-th address is the
       n-th editor's) or separated by spaces (language codes). -->
  <xsl:param name="edition-title" as="xs:string" select="''"/>
  <xsl:param name="edition-subtitle" as="xs:string" select="''"/>
  <xsl:param name="edition-editors" as="xs:string" select="''"/>
  <xsl:param name="edition-editor-emails" as="xs:string" select="''"/>
  <xsl:param name="edition-publisher" as="xs:string" select="''"/>
  <xsl:param name="edition-licence" as="xs:string" select="''"/>
  <xsl:param name="edition-licence-url" as="xs:string" select="''"/>
  <xsl:param name="edition-base-url" as="xs:string" select="''"/>
  <xsl:param name="edition-date" as="xs:string" select="''"/>
  <xsl:param name="edition-languages" as="xs:string" select="''"/>

  <xsl:variable name="f:editors" as="xs:string*" select="tokenize($edition-editors, '\n')[normalize-space()] ! normalize-space(.)"/>
  <xsl:variable name="f:editor-emails" as="xs:string*" select="tokenize($edition-editor-emails, '\n') ! normalize-space(.)"/>

  <!-- The edition's date for readers: "15 January 2026", "January 2026", "2026". -->
  <xsl:variable name="f:edition-date" as="xs:string" select="
      if ($edition-date castable as xs:date) then format-date(xs:date($edition-date), '[D] [MNn] [Y]')
      else if (($edition-date || '-01') castable as xs:date) then format-date(xs:date($edition-date || '-01'), '[MNn] [Y]')
      else $edition-date"/>

  <!-- "A", "A and B", "A, B and C". -->
  <xsl:function name="f:and" as="xs:string">
    <xsl:param name="items" as="xs:string*"/>
    <xsl:sequence select="if (count($items) le 1) then string($items)
        else string-join($items[position() lt last()], ', ') || ' and ' || $items[last()]"/>
  </xsl:function>

  <!-- What this archive's records are called when the settings give no title, and the
       subtitle that goes with it. -->
  <xsl:variable name="f:archive-title" as="xs:string" select="'Korean War Telegrams'"/>
  <xsl:variable name="f:archive-subtitle" as="xs:string"
      select="'Soviet, Chinese and Korean ciphered telegrams from the Wilson Center Digital Archive'"/>

  <!-- Is the document one of this archive's records (converted by teipipe from the Wilson
       Center Digital Archive: its publicationStmt gives the archive's record number)? -->
  <xsl:function name="f:ours" as="xs:boolean">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="exists($tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:idno[@type = 'wcda'])
        or exists($tei/tei:TEI) and (every $t in $tei/tei:TEI satisfies f:ours($t))"/>
  </xsl:function>

  <!-- The name of the edition a document belongs to, as the file itself gives it: '' for this
       archive's records; the series (seriesStmt) of another project's file, else its own title. -->
  <xsl:function name="f:own-edition-title" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="if (f:ours($tei)) then ''
        else (($tei/tei:teiHeader/tei:fileDesc/tei:seriesStmt/tei:title)[normalize-space()][1] ! f:plain(.), f:title($tei))[1]"/>
  </xsl:function>

  <!-- The edition's title: the settings', else what the documents' own titles say
       (f:own-edition-title of each; '' for this archive's records): this archive's name when
       any is ours, the one name they share, else a plain description. -->
  <xsl:function name="f:edition-title" as="xs:string">
    <xsl:param name="own" as="xs:string*"/>
    <xsl:variable name="names" select="distinct-values($own)"/>
    <xsl:sequence select="if ($edition-title ne '') then $edition-title
        else if (empty($names) or $names = '') then $f:archive-title
        else if (count($names) eq 1) then $names
        else 'TEI documents'"/>
  </xsl:function>

  <!-- The subtitle: the settings', else this archive's for its own records, else none. -->
  <xsl:function name="f:edition-subtitle" as="xs:string">
    <xsl:param name="own" as="xs:string*"/>
    <xsl:sequence select="if ($edition-subtitle ne '') then $edition-subtitle
        else if ($edition-title eq '' and (empty($own) or $own = '')) then $f:archive-subtitle
        else ''"/>
  </xsl:function>

  <!-- The languages of a document a reader is told about: those of its langUsage that the text
       is written in, those listed before them (the original a translation was made from: the
       converter and most editors list the principal languages first) and those declared but
       used nowhere; left out are the languages only the header or the standOff use after them
       (names of people in other scripts, which made every page list "Korean, Chinese").
       Limited to the settings' list (edition-languages) when there is one. -->
  <xsl:function name="f:text-languages" as="element(tei:language)*">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="declared" select="$tei/tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language"/>
    <xsl:variable name="in-text" select="distinct-values($tei/tei:text//text()[normalize-space()]
        ! string(ancestor::*[@xml:lang][1]/@xml:lang))"/>
    <xsl:variable name="elsewhere" select="distinct-values(($tei/tei:teiHeader, $tei/tei:standOff)//@xml:lang ! string(.))"/>
    <xsl:variable name="last" select="max((0, for $i in 1 to count($declared) return $i[$declared[$i]/@ident = $in-text]))"/>
    <xsl:variable name="shown" select="$declared[position() le $last or @ident = $in-text or not(@ident = $elsewhere)]"/>
    <xsl:variable name="wanted" select="tokenize($edition-languages)"/>
    <xsl:sequence select="if (empty($wanted)) then $shown else $shown[@ident = $wanted]"/>
  </xsl:function>

  <!-- The id a document is known by: TEI/@xml:id, else the file stem given by the caller. -->
  <xsl:function name="f:doc-id" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="($tei/@xml:id/string(), $doc-id[. ne ''], 'document')[1]"/>
  </xsl:function>

  <!-- The local id a pointer such as "#stalin" names, or '' for external pointers. -->
  <xsl:function name="f:local-ref" as="xs:string">
    <xsl:param name="ref" as="xs:string?"/>
    <xsl:variable name="first" select="tokenize(normalize-space($ref), ' ')[1]"/>
    <xsl:sequence select="if (starts-with($first, '#')) then substring($first, 2) else ''"/>
  </xsl:function>

  <!-- The standOff (or header) entry a mention points at, if the document carries it. -->
  <xsl:function name="f:entry" as="element()?">
    <xsl:param name="mention" as="element()"/>
    <xsl:variable name="id" select="f:local-ref($mention/@ref)"/>
    <xsl:sequence select="if ($id) then (key('xmlid', $id, root($mention))
        [self::tei:person or self::tei:place or self::tei:org or self::tei:personGrp])[1] else ()"/>
  </xsl:function>

  <!-- A person's, place's or org's regularised name as a reader should see it. -->
  <xsl:function name="f:reg-name" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="names" select="$entry/(tei:persName | tei:placeName | tei:orgName | tei:name)"/>
    <xsl:variable name="best" select="($names[@type = ('reg', 'main', 'full')],
        $names[not(@type) and not(@xml:lang) or @xml:lang = 'en'], $names)[1]"/>
    <xsl:sequence select="if ($best) then f:name-text($best) else string($entry/@xml:id)"/>
  </xsl:function>

  <!-- "Stalin, Joseph" reads as it is; a structured name joins its parts in order. -->
  <xsl:function name="f:name-text" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:sequence select="if ($name/tei:surname and $name/tei:forename)
        then normalize-space(string-join(($name/tei:surname, string-join($name/tei:forename, ' ')), ', '))
        else normalize-space(string-join($name//text(), ''))"/>
  </xsl:function>

  <!-- "Stalin, Joseph" as one says it: "Joseph Stalin" (index lists keep the inverted form). -->
  <xsl:function name="f:natural" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:sequence select="if (matches($name, '^[^,]+, [^,]+$')) then replace($name, '^([^,]+), (.+)$', '$2 $1') else $name"/>
  </xsl:function>

  <!-- The name for lists and tables: the surname of an inverted name ("Stalin"), else all of it. -->
  <xsl:function name="f:short-name" as="xs:string">
    <xsl:param name="mention" as="element()"/>
    <xsl:variable name="e" select="f:entry($mention)"/>
    <xsl:variable name="reg" select="if ($e) then f:reg-name($e) else normalize-space($mention)"/>
    <xsl:sequence select="if ($e and matches($reg, '^[^,]+, [^,]+$')) then substring-before($reg, ',') else $reg"/>
  </xsl:function>

  <!-- Who a mention is: the regularised name when the document knows the person, else the text. -->
  <xsl:function name="f:display-name" as="xs:string">
    <xsl:param name="mention" as="element()"/>
    <xsl:variable name="e" select="f:entry($mention)"/>
    <xsl:sequence select="if ($e) then f:natural(f:reg-name($e)) else normalize-space($mention)"/>
  </xsl:function>

  <!-- A date for readers: "18 July 1952", "18 July 1952, 12:15"; the text when @when is absent or odd. -->
  <xsl:function name="f:date" as="xs:string">
    <xsl:param name="d" as="element()?"/>
    <xsl:variable name="w" select="string(($d/@when, $d/@from, $d/@notBefore)[1])"/>
    <xsl:sequence select="
      if (not($d)) then ''
      else if ($w castable as xs:date) then format-date(xs:date($w), '[D] [MNn] [Y]')
      else if ($w castable as xs:dateTime) then format-dateTime(xs:dateTime($w), '[D] [MNn] [Y], [H01]:[m01]')
      else if (matches($w, '^\d{4}-\d{2}$') and ($w || '-01') castable as xs:date)
        then format-date(xs:date($w || '-01'), '[MNn] [Y]')
      else if (matches($w, '^\d{4}$')) then $w
      else normalize-space($d)"/>
  </xsl:function>

  <!-- The ISO date the document is sorted by: its first message's sending date, else any date it gives. -->
  <xsl:function name="f:doc-date" as="element()?">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="(
        f:messages($tei)[1]/tei:correspAction[@type = 'sent']/tei:date[@when | @from | @notBefore],
        f:messages($tei)[1]/tei:correspAction/tei:date[@when | @from | @notBefore],
        $tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:date[@when],
        $tei/tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction/tei:date[@when | @from | @notBefore],
        $tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:date[@when],
        $tei/tei:teiHeader/tei:profileDesc/tei:creation//tei:date[@when | @from | @notBefore],
        $tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:date[@when | @from | @notBefore],
        $tei/tei:text//tei:date[@when])[1]"/>
  </xsl:function>

  <!-- The name of a version's language: "Russian" (langUsage's words, without asides). -->
  <xsl:function name="f:language" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="code" select="string($el/@xml:lang)"/>
    <xsl:variable name="l" select="($el/ancestor-or-self::tei:TEI[1]/tei:teiHeader//tei:langUsage/tei:language[@ident = $code])[1]"/>
    <xsl:sequence select="if ($l) then replace(normalize-space($l), '\s*\(.*\)$', '') else $code"/>
  </xsl:function>

  <xsl:function name="f:iso" as="xs:string">
    <xsl:param name="d" as="element()?"/>
    <xsl:sequence select="string(($d/@when, $d/@from, $d/@notBefore)[1])"/>
  </xsl:function>

  <!-- The document's title: the main title of the titleStmt, editorial brackets restored. -->
  <xsl:function name="f:title" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="t" select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:variable name="best" select="($t[@type = ('main', 'complete', 'full')], $t[not(@type)], $t)[1]"/>
    <xsl:sequence select="if ($best) then f:plain($best) else f:doc-id($tei)"/>
  </xsl:function>

  <!-- An element's text as a reader should see it, brackets restored ("Filippov [Stalin]"). -->
  <xsl:function name="f:plain" as="xs:string">
    <xsl:param name="e" as="node()"/>
    <xsl:variable name="parts" as="xs:string*"><xsl:apply-templates select="$e" mode="plain"/></xsl:variable>
    <xsl:sequence select="normalize-space(string-join($parts))"/>
  </xsl:function>
  <xsl:template match="text()" mode="plain"><xsl:value-of select="."/></xsl:template>
  <xsl:template match="tei:gap" mode="plain">[…]</xsl:template>
  <xsl:template match="tei:choice[tei:abbr and tei:expan]" mode="plain">
    <xsl:apply-templates select="tei:abbr/node()" mode="plain"/> [<xsl:apply-templates select="tei:expan/node()" mode="plain"/>]</xsl:template>
  <xsl:template match="tei:choice" mode="plain"><xsl:apply-templates select="(tei:corr, tei:reg, *)[1]/node()" mode="plain"/></xsl:template>
  <xsl:template match="tei:supplied" mode="plain">[<xsl:apply-templates mode="plain"/>]</xsl:template>
  <xsl:template match="tei:note" mode="plain"> [<xsl:apply-templates mode="plain"/>]</xsl:template>
  <xsl:template match="tei:sic" mode="plain"><xsl:apply-templates mode="plain"/> [sic]</xsl:template>
  <xsl:template match="tei:lb" mode="plain"><xsl:text> </xsl:text></xsl:template>

  <!-- The messages of a document, once each: when a translation and an original both have
       their correspDesc, the translation's are shown (a reader meets their names). -->
  <xsl:function name="f:messages" as="element()*">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="all" select="$tei/tei:teiHeader/tei:profileDesc/tei:correspDesc"/>
    <xsl:variable name="body" select="$tei/tei:text/tei:body"/>
    <xsl:variable name="orig-ids" select="$body/tei:div[@type = 'original']/descendant-or-self::*/@xml:id/string()"/>
    <xsl:variable name="trans-ids" select="$body/tei:div[@type = 'translation']/descendant-or-self::*/@xml:id/string()"/>
    <xsl:sequence select="if (exists($trans-ids) and $all[f:local-ref(@corresp) = $trans-ids])
        then $all[not(f:local-ref(@corresp) = $orig-ids)] else $all"/>
  </xsl:function>

  <!-- Notes the reading text carries inline in brackets; every other note becomes a footnote. -->
  <!-- A note of an apparatus entry is printed with its entry, not as a footnote. -->
  <xsl:function name="f:is-footnote" as="xs:boolean">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="$n/self::tei:note and not($n/@type = ('gloss', 'sic'))
        and not($n/ancestor::tei:teiHeader) and not($n/ancestor::tei:note)
        and not($n/parent::tei:app or $n/parent::tei:rdgGrp)"/>
  </xsl:function>

  <!-- The footnote number of a note: counted over the whole text, in document order. -->
  <xsl:function name="f:note-no" as="xs:integer">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="count($n/preceding::tei:note[f:is-footnote(.)]
        [not(ancestor::tei:teiHeader)][root(.) is root($n)]
        [ancestor::tei:TEI[1] is $n/ancestor::tei:TEI[1]]) + 1"/>
  </xsl:function>

  <!-- The label a note of a known type is introduced by. -->
  <xsl:function name="f:note-label" as="xs:string">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="
      if ($n/@type = 'translator') then 'Translator’s note: '
      else if ($n/@type = 'stamp') then 'Stamp: '
      else if ($n/@type = 'handwritten') then 'Handwritten: '
      else ''"/>
  </xsl:function>

  <!-- Who signed an editorial note: the respStmt's name, or the id itself ("AM"). -->
  <xsl:function name="f:resp" as="xs:string">
    <xsl:param name="n" as="element()"/>
    <xsl:variable name="id" select="f:local-ref($n/@resp)"/>
    <xsl:variable name="r" select="if ($id) then key('xmlid', $id, root($n))[1] else ()"/>
    <xsl:sequence select="if ($id) then $id else normalize-space($n/@resp)"/>
  </xsl:function>

  <!-- " — AM" after an editor's note, unless the note already ends with the signature. -->
  <xsl:function name="f:signature" as="xs:string">
    <xsl:param name="n" as="element()"/>
    <xsl:variable name="r" select="if ($n/@resp) then f:resp($n) else ''"/>
    <xsl:sequence select="if ($r ne '' and not(ends-with(normalize-space($n), $r))) then ' — ' || $r else ''"/>
  </xsl:function>

  <!-- Archival holdings as cited: "APRF, f. 45, op. 1, d. 343, ll. 72-75". -->
  <xsl:function name="f:holding" as="xs:string">
    <xsl:param name="ms" as="element()"/>
    <xsl:variable name="i" select="$ms/tei:msIdentifier"/>
    <xsl:variable name="siglum" select="($i/tei:altIdentifier/tei:idno[@type = 'siglum'], $i/tei:repository/@n,
        $i/tei:repository)[1]/normalize-space()"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:for-each select="$i/tei:idno">
        <xsl:sequence select="(if (@type = 'fond') then 'f. ' else if (@type = 'opis') then 'op. '
            else if (@type = 'delo') then 'd. ' else if (@type = 'papka') then 'p. ' else '')
            || normalize-space(.)"/>
      </xsl:for-each>
      <xsl:for-each select="$ms/tei:msContents/tei:msItem/tei:locus">
        <xsl:sequence select="(if (matches(normalize-space(.), '^\d')) then (if (matches(., '[-,–]')) then 'll. ' else 'l. ') else '')
            || normalize-space(.)"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="string-join(($siglum[. ne ''], $parts[. ne '']), ', ')"/>
  </xsl:function>

  <!-- The archives a document cites, short: "APRF; AVP RF". -->
  <xsl:function name="f:archives" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="ids" select="$tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:msIdentifier"/>
    <xsl:sequence select="string-join(distinct-values(for $i in $ids return
        normalize-space(($i/tei:altIdentifier/tei:idno[@type = 'siglum'], $i/tei:repository/@n,
        $i/tei:repository, $i/tei:institution, $i/tei:settlement)[1])), '; ')"/>
  </xsl:function>
  <!-- What a page break breaks. This project's telegrams are archival sheets ("Лист 2"), so their
       breaks say "sheet"; a printed play or book has pages. The file's own @unit or @type
       (page, folio, leaf, column, sheet) wins; a telegram of this archive is known by the
       idno type="wcda" the converter writes (or the converter's respStmt). -->
  <xsl:function name="f:pb-unit" as="xs:string">
    <xsl:param name="pb" as="element()"/>
    <xsl:variable name="own" select="($pb/@unit, $pb/@type)[lower-case(.) = ('page', 'folio', 'leaf', 'column', 'sheet')][1]"/>
    <xsl:sequence select="if ($own) then lower-case($own)
        else if ($pb/ancestor::tei:TEI[1]/tei:teiHeader/tei:fileDesc/(tei:publicationStmt/tei:idno[@type = 'wcda']
            | tei:titleStmt/tei:respStmt/tei:name[starts-with(., 'teipipe')]))
        then 'sheet' else 'page'"/>
  </xsl:function>

  <!-- The language of a text version, named as the file's langUsage names it; an EpiDoc
       edition without its own xml:lang takes the textLang of the object it was read from. -->
  <xsl:function name="f:version-lang" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:variable name="code" select="string(($div/@xml:lang,
        if ($div/@type = 'edition') then ($div/ancestor::tei:TEI[1]/tei:teiHeader//tei:textLang/@mainLang)[1] else ())[1])"/>
    <xsl:variable name="l" select="($div/ancestor-or-self::tei:TEI[1]/tei:teiHeader//tei:langUsage/tei:language[@ident = $code])[1]"/>
    <xsl:sequence select="if ($l) then replace(normalize-space($l), '\s*\(.*\)$', '') else $code"/>
  </xsl:function>

  <!-- An EpiDoc-style body: its versions are divs typed edition, translation, commentary... -->
  <xsl:function name="f:is-epidoc-div" as="xs:boolean">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="$div/self::tei:div[@type = ('edition', 'translation', 'commentary', 'apparatus', 'bibliography')]
        and exists($div/ancestor::tei:body[1]/tei:div[@type = 'edition'])"/>
  </xsl:function>

  <!-- The sigla of a reading's witnesses: "#R #E" -> "R E". -->
  <xsl:function name="f:wits" as="xs:string">
    <xsl:param name="r" as="element()"/>
    <xsl:sequence select="string-join(tokenize(normalize-space(string-join(($r/@wit, $r/@source), ' ')), ' ')[. ne ''] ! replace(., '^.*#', ''), ' ')"/>
  </xsl:function>

  <!-- The number of an apparatus entry, counted over the text in document order. -->
  <xsl:function name="f:app-no" as="xs:integer">
    <xsl:param name="a" as="element()"/>
    <xsl:sequence select="count($a/preceding::tei:app[not(ancestor::tei:teiHeader)][ancestor::tei:TEI[1] is $a/ancestor::tei:TEI[1]])
        + count($a/ancestor::tei:app) + 1"/>
  </xsl:function>
  <!-- A stage direction that continues the speaker's name (", to Hermia", ", aside"). -->
  <xsl:function name="f:is-delivery" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e/self::tei:stage[preceding-sibling::*[1][self::tei:speaker]]
        [starts-with(normalize-space(.), ',')])"/>
  </xsl:function>

</xsl:stylesheet>
