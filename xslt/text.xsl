<?xml version="1.0" encoding="UTF-8"?>
<!--
  One TEI document -> the plain-text reading edition (UTF-8), wrapped at $width
  columns (any width from 20): a header block (title, date, from/to, archive), the text
  with the editorial brackets restored, notes as numbered endnotes.
  Two passes: the document becomes a sequence of <block> elements (indent, a
  first-line prefix, the text of the block), then every block is word-wrapped.
  Unknown elements become blocks or inline text by their content, so any TEI reads.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:teipipe:functions"
    exclude-result-prefixes="#all">

  <xsl:import href="common.xsl"/>
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="width" as="xs:string" select="'78'"/>
  <xsl:variable name="w" as="xs:integer" select="max((xs:integer($width), 20))"/>

  <!-- Elements that make blocks of their own; everything else is inline (or decided by content). -->
  <xsl:variable name="block-names" select="('text', 'front', 'body', 'back', 'group', 'div', 'div1', 'div2', 'div3',
      'div4', 'div5', 'head', 'p', 'ab', 'list', 'item', 'listBibl', 'listPerson', 'listPlace', 'floatingText',
      'opener', 'closer', 'dateline', 'salute', 'signed', 'byline', 'docAuthor', 'docDate', 'postscript', 'trailer',
      'argument', 'epigraph', 'lg', 'l', 'sp', 'speaker', 'stage', 'table', 'row', 'figure', 'titlePage', 'address',
      'entry', 'sense', 'cit', 'castList', 'castItem', 'u', 'titlePart', 'docTitle', 'docImprint')"/>
  <xsl:variable name="inline-names" select="('persName', 'placeName', 'orgName', 'name', 'rs', 'date', 'time', 'hi',
      'emph', 'foreign', 'term', 'title', 'num', 'measure', 'choice', 'abbr', 'expan', 'sic', 'corr', 'orig', 'reg',
      'supplied', 'gap', 'unclear', 'add', 'del', 'note', 'ref', 'ptr', 'lb', 'pb', 'stamp', 'q', 'said', 'mentioned',
      'soCalled', 'idno', 'roleName', 'forename', 'surname', 'geogName', 'damage', 'app', 'lem', 'rdg', 'w', 'c', 'pc',
      'seg', 'label', 'quote', 'bibl', 'span')"/>

  <xsl:function name="f:is-block" as="xs:boolean">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="$n instance of element() and (
        (local-name($n) = $block-names and not(f:is-inline-stage($n)))
        or ($n/self::tei:fw and not($n/parent::*[local-name() = $inline-names or self::tei:p or self::tei:ab]))
        or ($n/self::tei:seg[@type] and $n/parent::tei:opener)
        or ($n/self::tei:pb and $n/parent::*[local-name() = ('div', 'body', 'floatingText', 'opener', 'closer')])
        or ($n/self::tei:quote and $n/(tei:floatingText | tei:p | tei:ab | tei:lg | tei:list))
        or ($n/self::tei:note and not(f:is-footnote($n)) and $n/(tei:p | tei:list))
        or (not(local-name($n) = $inline-names) and not($n/text()[normalize-space()])
            and exists($n//*[local-name() = $block-names])))"/>
  </xsl:function>

  <!-- A stage direction said inside a verse line or a paragraph stays in it, in parentheses. -->
  <xsl:function name="f:is-inline-stage" as="xs:boolean">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="exists($n/self::tei:stage[parent::tei:l or parent::tei:p or parent::tei:ab
        or parent::tei:seg or parent::tei:speaker or ../text()[normalize-space()]])"/>
  </xsl:function>

  <xsl:template match="/">
    <xsl:variable name="tei" select="(tei:TEI, tei:teiCorpus)[1]"/>
    <xsl:variable name="blocks" as="element(block)*">
      <xsl:call-template name="header"><xsl:with-param name="tei" select="$tei"/></xsl:call-template>
      <xsl:apply-templates select="$tei/(tei:text | tei:TEI/tei:text)" mode="blocks"/>
      <xsl:call-template name="endnotes"><xsl:with-param name="tei" select="$tei"/></xsl:call-template>
      <xsl:call-template name="apparatus"><xsl:with-param name="tei" select="$tei"/></xsl:call-template>
      <xsl:call-template name="index-of-terms"><xsl:with-param name="tei" select="$tei"/></xsl:call-template>
    </xsl:variable>
    <xsl:for-each select="$blocks">
      <xsl:if test="position() gt 1 and not(@tight = 'yes')"><xsl:text>&#10;</xsl:text></xsl:if>
      <xsl:value-of select="f:wrap(string(.), xs:integer((@indent, 0)[1]), string(@first), @align = 'raw')" separator="&#10;"/>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <!-- ===== Pass 2: word wrapping ===== -->
  <!-- The lines of one block: words packed up to $w columns. An over-long word is cut, but
       never a URL: a reader copies it whole, so it stands on a line of its own, unbroken. -->
  <xsl:function name="f:wrap" as="xs:string*">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="indent" as="xs:integer"/>
    <xsl:param name="first" as="xs:string"/>
    <xsl:param name="raw" as="xs:boolean"/>
    <xsl:variable name="pad" select="string-join(for $i in 1 to $indent return ' ')"/>
    <xsl:variable name="hang" select="string-join(for $i in 1 to string-length($first) return ' ')"/>
    <xsl:variable name="room" select="max(($w - $indent - string-length($first), 10))"/>
    <xsl:variable name="words" select="for $t in tokenize(normalize-space($text), ' ')[. ne '']
        return if (string-length($t) le $room or f:is-url($t)) then $t
        else for $i in 0 to (string-length($t) - 1) idiv $room return substring($t, $i * $room + 1, $room)"/>
    <xsl:iterate select="$words">
      <xsl:param name="line" as="xs:string" select="''"/>
      <xsl:param name="out" as="xs:string*" select="()"/>
      <xsl:on-completion>
        <xsl:variable name="all" select="$out, $line[. ne '']"/>
        <xsl:sequence select="for $i in 1 to count($all) return
            $pad || (if ($i = 1) then $first else $hang) || $all[$i]"/>
      </xsl:on-completion>
      <xsl:choose>
        <xsl:when test="$line = ''">
          <xsl:next-iteration><xsl:with-param name="line" select="."/></xsl:next-iteration>
        </xsl:when>
        <xsl:when test="string-length($line) + 1 + string-length(.) le $room">
          <xsl:next-iteration><xsl:with-param name="line" select="$line || ' ' || ."/></xsl:next-iteration>
        </xsl:when>
        <xsl:otherwise>
          <xsl:next-iteration>
            <xsl:with-param name="line" select="."/>
            <xsl:with-param name="out" select="$out, $line"/>
          </xsl:next-iteration>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:iterate>
  </xsl:function>

  <xsl:function name="f:is-url" as="xs:boolean">
    <xsl:param name="word" as="xs:string"/>
    <xsl:sequence select="matches($word, '^[(\[&lt;&quot;]?(https?://|ftp://|www\.|urn:|doi:)', 'i')"/>
  </xsl:function>

  <!-- ===== The header block ===== -->
  <xsl:template name="header">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="h" select="$tei/tei:teiHeader"/>
    <xsl:variable name="title" select="f:title($tei)"/>
    <block><xsl:value-of select="upper-case($title)"/></block>
    <block tight="yes" align="raw"><xsl:value-of select="string-join(for $i in 1 to min((string-length($title), $w)) return '=')"/></block>
    <xsl:variable name="fields" as="element(field)*">
      <xsl:variable name="d" select="f:doc-date($tei)"/>
      <xsl:if test="$d"><field label="Date"><xsl:value-of select="f:date($d)"/></field></xsl:if>
      <xsl:for-each select="f:messages($tei)">
        <xsl:variable name="quoted" select="if (position() gt 1) then ' (quoted)' else ''"/>
        <xsl:for-each select="tei:correspAction">
          <field label="{(if (@subtype = 'cc') then 'Copies' else if (@type = 'sent') then 'From'
              else if (@type = 'received') then 'To' else if (@type = 'transmitted') then 'Via' else 'Action') || $quoted}">
            <xsl:value-of select="string-join((
                string-join((tei:persName | tei:orgName | tei:name) ! (if (../@subtype = 'cc') then f:short-name(.) else f:display-name(.)), ', '),
                string-join(tei:placeName ! f:display-name(.), ', '), tei:note ! ('(' || normalize-space(.) || ')'),
                tei:date ! f:date(.)
              )[. ne ''], '; ')"/>
          </field>
        </xsl:for-each>
      </xsl:for-each>
      <xsl:for-each select="$h/tei:fileDesc/tei:sourceDesc//tei:msDesc">
        <field label="Archive"><xsl:value-of select="f:holding(.)"/></field>
      </xsl:for-each>
      <xsl:for-each select="$h/tei:fileDesc/tei:publicationStmt/tei:idno[@type = 'URI'][not(@subtype)][1]">
        <field label="Source"><xsl:value-of select="normalize-space(.)"/></field>
      </xsl:for-each>
      <!-- The archive's own address, when the export came from a mirror of it. -->
      <xsl:for-each select="$h/tei:fileDesc/tei:publicationStmt/tei:idno[@type = 'URI'][@subtype = 'canonical'][1]">
        <field label="Canonical"><xsl:value-of select="normalize-space(.)"/></field>
      </xsl:for-each>
      <field label="TEI"><xsl:value-of select="f:doc-id($tei)"/></field>
    </xsl:variable>
    <xsl:variable name="lw" select="max($fields/@label ! string-length(.)) + 2"/>
    <xsl:for-each select="$fields[normalize-space()]">
      <block first="{@label || ':' || string-join(for $i in string-length(@label) + 2 to $lw return ' ')}">
        <xsl:if test="position() gt 1"><xsl:attribute name="tight" select="'yes'"/></xsl:if>
        <xsl:value-of select="."/>
      </block>
    </xsl:for-each>
    <xsl:for-each select="$h/tei:profileDesc/tei:abstract[normalize-space()]">
      <block indent="2"><xsl:value-of select="normalize-space(.)"/></block>
    </xsl:for-each>
  </xsl:template>

  <!-- ===== Pass 1: blocks ===== -->
  <!-- One version of the text gets a heading: ORIGINAL (Russian), TRANSLATION (English). -->
  <xsl:template match="tei:body/tei:div[@type = ('original', 'translation')]" mode="blocks" priority="2">
    <xsl:variable name="label" select="upper-case(@type) || (if (@xml:lang) then ' (' ||
        f:language(.) || ')' else '')"/>
    <block align="raw"><xsl:value-of select="string-join(for $i in 1 to $w return '-')"/></block>
    <block tight="yes"><xsl:value-of select="$label"/></block>
    <block tight="yes" align="raw"><xsl:value-of select="string-join(for $i in 1 to $w return '-')"/></block>
    <xsl:call-template name="container"/>
  </xsl:template>

  <!-- An inscription's edition, translation, commentary: headed by what it is and its language
       (EDITION (Latin)), its lines one to a line with every fifth line numbered. -->
  <xsl:template match="tei:div[f:is-epidoc-div(.)]" mode="blocks" priority="3">
    <xsl:variable name="lang" select="f:version-lang(.)"/>
    <xsl:variable name="label" select="upper-case(@type) || (if (@subtype) then ', ' || replace(@subtype, '-', ' ') else '')
        || (if ($lang ne '') then ' (' || $lang || ')' else '')"/>
    <block align="raw"><xsl:value-of select="string-join(for $i in 1 to $w return '-')"/></block>
    <block tight="yes"><xsl:value-of select="$label"/></block>
    <block tight="yes" align="raw"><xsl:value-of select="string-join(for $i in 1 to $w return '-')"/></block>
    <xsl:call-template name="container"/>
  </xsl:template>

  <!-- Drama: the speaker on a line of its own, the speech indented under it. -->
  <xsl:template match="tei:sp" mode="blocks">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:apply-templates select="tei:speaker" mode="blocks"/>
    <xsl:variable name="speech" as="element(block)*">
      <xsl:for-each-group select="node() except (tei:speaker, tei:stage[f:is-delivery(.)])" group-adjacent="f:is-block(.)">
        <xsl:choose>
          <xsl:when test="current-grouping-key()">
            <xsl:apply-templates select="current-group()" mode="blocks">
              <xsl:with-param name="indent" select="$indent + 4" tunnel="yes"/>
            </xsl:apply-templates>
          </xsl:when>
          <xsl:otherwise>
            <xsl:variable name="s" select="normalize-space(string-join(current-group() ! f:inline-text(.)))"/>
            <xsl:if test="$s ne ''"><block indent="{$indent + 4}"><xsl:value-of select="$s"/></block></xsl:if>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:variable name="spoken" select="exists(tei:speaker)"/>
    <xsl:for-each select="$speech">
      <block tight="{if (position() = 1 and $spoken) then 'yes' else (@tight, 'no')[1]}">
        <xsl:copy-of select="@* except @tight"/><xsl:value-of select="."/></block>
    </xsl:for-each>
  </xsl:template>
  <xsl:template match="tei:speaker" mode="blocks">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <block indent="{$indent}"><xsl:value-of select="normalize-space(f:inline-text(.))
        || normalize-space(string-join(following-sibling::*[1][f:is-delivery(.)]/node() ! f:inline-text(.)))"/></block>
  </xsl:template>
  <xsl:template match="tei:stage" mode="blocks">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <block indent="{$indent + 2}"><xsl:value-of select="f:in-parens(normalize-space(f:inline-text(.)))"/></block>
  </xsl:template>
  <xsl:function name="f:in-parens" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="if (starts-with($s, '(') or starts-with($s, '[')) then $s else '(' || $s || ')'"/>
  </xsl:function>
  <!-- The cast list: one line per role, its description after it. -->
  <xsl:template match="tei:castItem | tei:castGroup" mode="blocks">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:choose>
      <xsl:when test="self::tei:castGroup">
        <xsl:apply-templates select="*" mode="blocks"><xsl:with-param name="indent" select="$indent + 2" tunnel="yes"/></xsl:apply-templates>
      </xsl:when>
      <xsl:otherwise>
        <block indent="{$indent}" first="- " tight="{if (preceding-sibling::tei:castItem) then 'yes' else 'no'}">
          <xsl:value-of select="normalize-space(f:inline-text(.))"/></block>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:teiHeader | tei:standOff | tei:facsimile | tei:figure/tei:graphic" mode="blocks"/>

  <xsl:template match="tei:item" mode="blocks">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:variable name="mark" select="if (@n) then (if (matches(@n, '^[0-9]+$')) then @n || '. ' else @n || ' ')
        else if (parent::tei:list[@type = ('numbered', 'ordered')]) then count(preceding-sibling::tei:item) + 1 || '. '
        else '- '"/>
    <xsl:variable name="inner" as="element(block)*"><xsl:call-template name="container"/></xsl:variable>
    <!-- Where the number is part of the text ("1. The enemy ..."), it becomes the first-line
         prefix all the same, so that the point's later lines hang under its text. -->
    <xsl:variable name="typed" select="if (@n and starts-with(normalize-space(.), @n))
        then replace(normalize-space($inner[1]), '^(\S+)\s.*$', '$1', 's') else ()"/>
    <xsl:variable name="typed" select="$typed[starts-with(., current()/@n) and string-length(.) le 8]"/>
    <xsl:variable name="show" select="if (exists($typed)) then $typed || ' '
        else if (@n and starts-with(normalize-space(.), @n)) then '' else $mark"/>
    <xsl:variable name="after" select="exists(preceding-sibling::tei:item)"/>
    <xsl:for-each select="$inner">
      <block tight="{if (position() gt 1 or $after) then 'yes' else 'no'}" indent="{@indent}" first="{if (position() = 1) then $show else string-join(for $i in 1 to string-length($show) return ' ')}{@first}">
        <xsl:value-of select="if (position() = 1 and exists($typed))
            then substring-after(normalize-space(.), $typed || ' ') else string(.)"/></block>
    </xsl:for-each>
  </xsl:template>

  <!-- A distribution list reads as one line of addressees, as it was typed. -->
  <xsl:template match="tei:list[@type = 'distribution']" mode="blocks">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:apply-templates select="tei:head" mode="blocks"/>
    <block indent="{$indent}" tight="{if (tei:head) then 'yes' else 'no'}">
      <xsl:value-of select="normalize-space(string-join(tei:item ! f:inline-text(.), ' '))"/>
    </block>
  </xsl:template>

  <xsl:template match="tei:head" mode="blocks">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <block indent="{$indent}"><xsl:value-of select="upper-case(f:inline-text(.))"/></block>
  </xsl:template>

  <xsl:template match="tei:pb" mode="blocks">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <block indent="{$indent}">[<xsl:value-of select="if (@n) then f:pb-unit(.) || ' ' || @n else f:pb-unit(.) || ' break'"/>]</block>
  </xsl:template>

  <!-- Opener and closer lines stay together, one line each. -->
  <xsl:template match="tei:opener/* | tei:closer/* | tei:l | tei:row | tei:list[@type = 'distribution']/tei:head" mode="blocks" priority="1">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:variable name="inner" as="element(block)*"><xsl:call-template name="container"/></xsl:variable>
    <xsl:variable name="after" select="exists(preceding-sibling::*[not(self::tei:note)])"/>
    <xsl:for-each select="$inner">
      <block indent="{@indent}" first="{@first}">
        <xsl:if test="position() gt 1 or $after"><xsl:attribute name="tight" select="'yes'"/></xsl:if>
        <xsl:value-of select="."/></block>
    </xsl:for-each>
  </xsl:template>
  <xsl:template match="tei:opener/tei:note | tei:closer/tei:note" mode="blocks" priority="2">
    <xsl:next-match/>
  </xsl:template>

  <xsl:template match="*" mode="blocks">
    <xsl:call-template name="container"/>
  </xsl:template>

  <!-- A block element: runs of inline content become blocks, block children recurse. -->
  <xsl:template name="container">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:variable name="in" select="$indent + (if (self::tei:quote or self::tei:floatingText[not(parent::tei:quote)]
        or self::tei:sp/parent::* and false()) then 4 else 0)"/>
    <xsl:for-each-group select="node()" group-adjacent="f:is-block(.)">
      <xsl:choose>
        <xsl:when test="current-grouping-key()">
          <xsl:apply-templates select="current-group()" mode="blocks">
            <xsl:with-param name="indent" select="$in" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="s" select="normalize-space(string-join(current-group() ! f:inline-text(.)))"/>
          <xsl:choose>
            <xsl:when test="ancestor-or-self::tei:div[@type = 'edition'] and contains($s, $lb-mark)">
              <xsl:sequence select="f:lines($s, $in)"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:if test="$s ne ''"><block indent="{$in}"><xsl:value-of select="$s"/></block></xsl:if>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:template>

  <!-- An inscription's lines (marked by lb in mode inline: $lb-mark, its n, U+E001): one block
       each, the line number in the margin every fifth line, as EpiDoc editions print them.
       The mark is two private-use characters around "lb:", which no text carries (a plain
       U+2028 does occur in real files). -->
  <xsl:variable name="lb-mark" select="'&#xE000;lb:'"/>
  <xsl:function name="f:lines" as="element(block)*">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="in" as="xs:integer"/>
    <xsl:for-each select="tokenize($s, $lb-mark, 'q')">
      <xsl:variable name="n" select="if (position() = 1) then '' else substring-before(., '&#xE001;')"/>
      <xsl:variable name="t" select="normalize-space(if (position() = 1) then . else substring-after(., '&#xE001;'))"/>
      <xsl:if test="$t ne ''">
        <xsl:variable name="num" select="if (matches($n, '^[0-9]+$') and xs:integer($n) mod 5 = 0) then $n else ''"/>
        <block indent="{$in}" first="{substring('     ', 1, 4 - string-length($num)) || $num || ' '}" tight="yes">
          <xsl:value-of select="$t"/></block>
      </xsl:if>
    </xsl:for-each>
  </xsl:function>

  <!-- ===== Inline text, brackets restored ===== -->
  <xsl:function name="f:inline-text" as="xs:string">
    <xsl:param name="n" as="node()"/>
    <xsl:variable name="parts" as="xs:string*"><xsl:apply-templates select="$n" mode="inline"/></xsl:variable>
    <xsl:sequence select="string-join($parts)"/>
  </xsl:function>

  <xsl:template match="text()" mode="inline"><xsl:value-of select="."/></xsl:template>
  <xsl:template match="tei:gap" mode="inline"><xsl:text>[…]</xsl:text></xsl:template>
  <xsl:template match="tei:gap[tei:desc[normalize-space()]]" mode="inline" priority="3">
    <xsl:text>[…] </xsl:text><xsl:apply-templates select="tei:desc/node()" mode="inline"/>
  </xsl:template>
  <xsl:template match="tei:choice[tei:abbr and tei:expan]" mode="inline">
    <xsl:apply-templates select="tei:abbr/node()" mode="inline"/>
    <xsl:text> [</xsl:text><xsl:apply-templates select="tei:expan/node()" mode="inline"/><xsl:text>]</xsl:text>
  </xsl:template>
  <xsl:template match="tei:choice[tei:corr]" mode="inline"><xsl:apply-templates select="tei:corr/node()" mode="inline"/></xsl:template>
  <xsl:template match="tei:choice[tei:reg]" mode="inline"><xsl:apply-templates select="tei:reg/node()" mode="inline"/></xsl:template>
  <xsl:template match="tei:choice" mode="inline"><xsl:apply-templates select="*[1]/node()" mode="inline"/></xsl:template>
  <xsl:template match="tei:supplied" mode="inline">[<xsl:apply-templates mode="inline"/>]</xsl:template>
  <xsl:template match="tei:sic" mode="inline"><xsl:apply-templates mode="inline"/><xsl:text> [sic]</xsl:text></xsl:template>
  <xsl:template match="tei:note[@type = ('gloss', 'sic')]" mode="inline">
    <xsl:text> [</xsl:text><xsl:apply-templates mode="inline"/><xsl:text>]</xsl:text>
  </xsl:template>
  <xsl:template match="tei:note" mode="inline">
    <xsl:choose>
      <xsl:when test="f:is-footnote(.)"><xsl:value-of select="'[' || f:note-no(.) || ']'"/></xsl:when>
      <xsl:otherwise> [<xsl:apply-templates mode="inline"/>]</xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:pb" mode="inline"><xsl:value-of select="' [' || (if (@n) then f:pb-unit(.) || ' ' || @n else f:pb-unit(.) || ' break') || '] '"/></xsl:template>
  <xsl:template match="tei:fw | tei:stamp" mode="inline"><xsl:text> </xsl:text><xsl:apply-templates mode="inline"/><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="tei:lb" mode="inline"><xsl:if test="not(@break = 'no')"><xsl:text> </xsl:text></xsl:if></xsl:template>
  <xsl:template match="tei:div[@type = 'edition']//tei:lb[not(@break = 'no')]" mode="inline" priority="2">
    <xsl:value-of select="' ' || $lb-mark || @n || '&#xE001; '"/>
  </xsl:template>
  <!-- A word broken over two lines (lb break="no") is one word: the layout whitespace goes. -->
  <xsl:template match="text()[following-sibling::node()[1][self::tei:lb[@break = 'no']]
      or preceding-sibling::node()[1][self::tei:lb[@break = 'no']]]" mode="inline">
    <xsl:variable name="t" select="if (following-sibling::node()[1][self::tei:lb[@break = 'no']]) then replace(., '\s+$', '') else string(.)"/>
    <xsl:value-of select="if (preceding-sibling::node()[1][self::tei:lb[@break = 'no']]) then replace($t, '^\s+', '') else $t"/>
  </xsl:template>
  <!-- Leiden: expanded letters in parentheses; abbreviation marks not printed in the expansion;
       lost letters of known number as dots. -->
  <xsl:template match="tei:ex" mode="inline">(<xsl:apply-templates mode="inline"/>)</xsl:template>
  <xsl:template match="tei:expan//tei:am | tei:choice/tei:abbr//tei:am" mode="inline" priority="2"/>
  <xsl:template match="tei:gap[@unit = 'character'][@quantity castable as xs:integer][xs:integer(@quantity) le 20]" mode="inline" priority="2">
    <xsl:value-of select="'[' || string-join(for $i in 1 to xs:integer(@quantity) return '.', ' ') || ']'"/>
  </xsl:template>
  <xsl:template match="tei:stage" mode="inline">
    <xsl:text> </xsl:text><xsl:value-of select="f:in-parens(normalize-space(string-join(node() ! f:inline-text(.))))"/><xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="tei:roleDesc" mode="inline">
    <xsl:if test="preceding-sibling::tei:role"><xsl:text>, </xsl:text></xsl:if><xsl:apply-templates mode="inline"/>
  </xsl:template>
  <!-- Apparatus: the lemma reads in the text with its entry's call ([a1]); the entries follow the notes. -->
  <xsl:template match="tei:app" mode="inline">
    <xsl:apply-templates select="(descendant::tei:lem[ancestor::tei:app[1] is current()], tei:rdg)[1]" mode="inline"/>
    <xsl:value-of select="'[a' || f:app-no(.) || ']'"/>
  </xsl:template>
  <xsl:template match="tei:app/tei:note | tei:rdgGrp/tei:note" mode="inline" priority="2"/>
  <xsl:template match="tei:graphic | tei:media | tei:binaryObject" mode="inline"/>
  <xsl:template match="tei:cb | tei:milestone | tei:anchor | tei:index | tei:link | tei:linkGrp | tei:interpGrp | tei:certainty" mode="inline"/>
  <!-- Unknown or plain inline elements: their text; words of element-only neighbours kept apart. -->
  <xsl:template match="*" mode="inline">
    <xsl:apply-templates mode="inline"/>
    <xsl:if test="not(text()[normalize-space()]) and following-sibling::node()[1][self::*]"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>
  <xsl:template match="tei:item | tei:p | tei:l | tei:row | tei:cell" mode="inline">
    <xsl:text> </xsl:text><xsl:apply-templates mode="inline"/><xsl:text> </xsl:text>
  </xsl:template>

  <!-- ===== Apparatus and index, after the notes ===== -->
  <!-- One entry per app: lemma and its witnesses] each reading and its witnesses; om. for an omission. -->
  <xsl:template name="apparatus">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="apps" select="$tei/(tei:text | tei:TEI/tei:text)//tei:app"/>
    <xsl:if test="$apps">
      <block align="raw"><xsl:value-of select="string-join(for $i in 1 to $w return '-')"/></block>
      <block tight="yes">APPARATUS</block>
      <xsl:for-each select="$apps">
        <xsl:variable name="lem" select="descendant::tei:lem[ancestor::tei:app[1] is current()][1]"/>
        <block first="{'[a' || f:app-no(.) || '] '}">
          <xsl:if test="position() gt 1"><xsl:attribute name="tight" select="'yes'"/></xsl:if>
          <xsl:value-of select="normalize-space(string-join((
              (if ($lem[normalize-space()]) then string-join($lem/node() ! f:inline-text(.)) else '—')
              || ($lem[@wit] ! (' ' || f:wits(.))) || ']',
              string-join(descendant::tei:rdg[ancestor::tei:app[1] is current()] ! (
                  (if (normalize-space()) then string-join(node() ! f:inline-text(.)) else 'om.')
                  || ((.[@wit or @source]) ! (' ' || f:wits(.)))), '; '),
              tei:note ! string-join(node() ! f:inline-text(.))), ' '))"/>
        </block>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <!-- Index entries are not printed in the text; their terms are kept here, sorted. -->
  <xsl:template name="index-of-terms">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="terms" select="distinct-values($tei/(tei:text | tei:TEI/tei:text)//tei:index/tei:term ! normalize-space())[. ne '']"/>
    <xsl:if test="exists($terms)">
      <block align="raw"><xsl:value-of select="string-join(for $i in 1 to $w return '-')"/></block>
      <block tight="yes">INDEX</block>
      <xsl:for-each select="sort($terms, (), function($t) { lower-case($t) })">
        <block first="- "><xsl:if test="position() gt 1"><xsl:attribute name="tight" select="'yes'"/></xsl:if>
          <xsl:value-of select="."/></block>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <!-- ===== Endnotes ===== -->
  <xsl:template name="endnotes">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="notes" select="$tei/(tei:text | tei:TEI/tei:text)//tei:note[f:is-footnote(.)]"/>
    <xsl:if test="$notes">
      <block align="raw"><xsl:value-of select="string-join(for $i in 1 to $w return '-')"/></block>
      <block tight="yes">NOTES</block>
      <xsl:for-each select="$notes">
        <xsl:variable name="mark" select="'[' || f:note-no(.) || '] '"/>
        <block first="{$mark}">
          <xsl:if test="position() gt 1"><xsl:attribute name="tight" select="'yes'"/></xsl:if>
          <xsl:value-of select="normalize-space(f:note-label(.) || string-join(node() ! f:inline-text(.))
              || f:signature(.))"/>
        </block>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
