<?xml version="1.0" encoding="UTF-8"?>
<!--
  Diplomatic text of a teipipe TEI document: the source body of the archive's
  export, given back from the encoding.

  Editorial brackets are restored from what they were encoded as (gap, choice,
  supplied, notes, sic), letter-spacing from the rendition #letterspaced, the
  export's Markdown decorations from the renditions md-h1..md-h3, md-bold,
  md-italic, md-bullet, rules of asterisks and dashes from milestone/@rend,
  tables with tabs. Blocks are separated by blank lines.

  The converter's nothing-lost test compares this text with the source body
  after whitespace normalisation (runs of white space -> one space) and with
  Markdown backslash escapes removed on both sides (the export writes "\*" for
  "*"); nothing else is normalised.

  Templates are in mode "diplomatic" so that other stylesheets (the plain-text
  edition) can import this one and apply it to any node.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:apply-templates select="//tei:text/tei:body" mode="diplomatic"/>
  </xsl:template>

  <!-- Block-level elements: a blank line before and after. -->
  <xsl:template mode="diplomatic" priority="2" match="
      tei:p | tei:ab | tei:head | tei:salute | tei:signed | tei:dateline | tei:fw
      | tei:opener/tei:seg | tei:closer/tei:seg | tei:item | tei:row | tei:trailer
      | tei:postscript | tei:byline | tei:docDate | tei:argument | tei:epigraph | tei:lg | tei:l
      | tei:list[not(@type = 'distribution')] | tei:table | tei:quote[tei:floatingText]
      | tei:div | tei:opener | tei:closer">
    <xsl:text>&#10;&#10;</xsl:text>
    <xsl:next-match/>
    <xsl:text>&#10;&#10;</xsl:text>
  </xsl:template>

  <!-- A distribution list is one paragraph: label and addressees in a run. -->
  <xsl:template mode="diplomatic" priority="3" match="tei:list[@type = 'distribution']">
    <xsl:text>&#10;&#10;</xsl:text>
    <xsl:for-each select="tei:head | tei:item">
      <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
      <xsl:apply-templates mode="diplomatic"/>
    </xsl:for-each>
    <xsl:text>&#10;&#10;</xsl:text>
  </xsl:template>

  <!-- Markdown headings of the export. -->
  <xsl:template mode="diplomatic" priority="1" match="*[matches(@rendition, '#md-h[1-6]')]">
    <xsl:value-of select="string-join((for $i in 1 to xs:integer(replace(@rendition, '.*#md-h([1-6]).*', '$1')) return '#'), '')"/>
    <xsl:text> </xsl:text>
    <xsl:apply-templates mode="diplomatic"/>
  </xsl:template>

  <xsl:template mode="diplomatic" priority="1.5" match="tei:item[contains(@rendition, '#md-bullet')]">
    <xsl:text>- </xsl:text>
    <xsl:apply-templates mode="diplomatic"/>
  </xsl:template>

  <xsl:template mode="diplomatic" match="tei:hi[contains(@rendition, '#md-bold')]">
    <xsl:text>**</xsl:text><xsl:apply-templates mode="diplomatic"/><xsl:text>**</xsl:text>
  </xsl:template>

  <xsl:template mode="diplomatic" match="tei:hi[contains(@rendition, '#md-italic')]">
    <xsl:text>*</xsl:text><xsl:apply-templates mode="diplomatic"/><xsl:text>*</xsl:text>
  </xsl:template>

  <!-- "SHTYKOV" with rendition #letterspaced was "S H T Y K O V". -->
  <xsl:template mode="diplomatic" priority="4" match="*[contains(@rendition, '#letterspaced')]">
    <xsl:value-of select="string-join(for $c in string-to-codepoints(replace(string(.), '\s', ''))
                                      return codepoints-to-string($c), ' ')"/>
  </xsl:template>

  <!-- Editorial brackets. -->
  <xsl:template mode="diplomatic" match="tei:gap">
    <xsl:choose>
      <xsl:when test="@rend"><xsl:value-of select="@rend"/></xsl:when>
      <xsl:when test="tei:desc">[<xsl:value-of select="tei:desc"/>]</xsl:when>
      <xsl:otherwise>[...]</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template mode="diplomatic" match="tei:choice[tei:abbr and tei:expan]">
    <xsl:apply-templates select="tei:abbr" mode="diplomatic"/>
    <xsl:text> [</xsl:text>
    <xsl:apply-templates select="tei:expan" mode="diplomatic"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template mode="diplomatic" match="tei:choice[tei:sic and tei:corr]">
    <xsl:apply-templates select="tei:sic" mode="diplomatic"/>
  </xsl:template>

  <xsl:template mode="diplomatic" match="tei:note | tei:supplied | tei:stamp | tei:ref[@type = 'noteAnchor']">
    <xsl:text>[</xsl:text><xsl:apply-templates mode="diplomatic"/><xsl:text>]</xsl:text>
  </xsl:template>

  <!-- The export's footnote: "[1] text" at the end; its mark is the ref inside. -->
  <xsl:template mode="diplomatic" priority="2" match="tei:note[@type = 'footnote']">
    <xsl:text>&#10;&#10;</xsl:text><xsl:apply-templates mode="diplomatic"/><xsl:text>&#10;&#10;</xsl:text>
  </xsl:template>

  <xsl:template mode="diplomatic" match="tei:lb">
    <xsl:text>&#10;</xsl:text>
  </xsl:template>

  <xsl:template mode="diplomatic" match="tei:pb | tei:anchor | tei:desc"/>

  <!-- A rule written on the same line as the text before it ("16.7.52.====") -->
  <xsl:template mode="diplomatic" priority="2" match="tei:milestone[@type = 'rule']">
    <xsl:value-of select="@rend"/>
  </xsl:template>

  <xsl:template mode="diplomatic" match="tei:milestone">
    <xsl:text>&#10;&#10;</xsl:text><xsl:value-of select="@rend"/><xsl:text>&#10;&#10;</xsl:text>
  </xsl:template>

  <xsl:template mode="diplomatic" match="tei:row">
    <xsl:for-each select="tei:cell">
      <xsl:if test="position() gt 1"><xsl:text>&#9;</xsl:text></xsl:if>
      <xsl:apply-templates mode="diplomatic"/>
    </xsl:for-each>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>

  <!-- Everything else: its text, in document order. -->
  <xsl:template mode="diplomatic" match="*">
    <xsl:apply-templates mode="diplomatic"/>
  </xsl:template>

  <xsl:template mode="diplomatic" match="text()">
    <xsl:value-of select="."/>
  </xsl:template>
</xsl:stylesheet>
