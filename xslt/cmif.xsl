<?xml version="1.0" encoding="UTF-8"?>
<!--
  A corpus (teiCorpus gathered by pipeline.cmif) -> one CMIF file (Correspondence
  Metadata Interchange Format, the correspSearch profile): every message of every
  document as a correspDesc in profileDesc, with sender and addressee, place and date.
  Authority URIs where the personography knows them (Wikidata, VIAF, GND; GeoNames
  for places), else the regularised name without @ref. Each correspDesc points with
  @source at the bibl of the edition it comes from (sourceDesc), and with @ref at the record.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:teipipe:functions"
    xmlns="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:import href="common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:param name="title" as="xs:string" select="'Korean War telegrams: correspondence metadata (teipipe edition)'"/>
  <xsl:param name="editor" as="xs:string" select="'teipipe'"/>
  <xsl:param name="email" as="xs:string" select="''"/>
  <xsl:param name="url" as="xs:string" select="''"/>
  <!-- Who publishes the file (correspSearch shows it); the editor when not given. -->
  <xsl:param name="publisher" as="xs:string" select="''"/>
  <!-- The edition's own address, linked from the publisher. -->
  <xsl:param name="edition-url" as="xs:string" select="''"/>
  <!-- The CMIF file's publication date: given by the caller (no clock: output is deterministic). -->
  <xsl:param name="date" as="xs:string" select="''"/>

  <xsl:variable name="docs" as="element(tei:TEI)*">
    <xsl:perform-sort select="//tei:TEI">
      <xsl:sort select="f:iso(f:doc-date(.))"/><xsl:sort select="f:doc-id(.)"/>
    </xsl:perform-sort>
  </xsl:variable>

  <!-- The edition each document comes from: its citation's publisher, else its own publisher. -->
  <xsl:function name="f:edition" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="fd" select="$tei/tei:teiHeader/tei:fileDesc"/>
    <xsl:sequence select="normalize-space(($fd/tei:sourceDesc/tei:bibl/tei:publisher, $fd/tei:publicationStmt/tei:publisher,
        $fd/tei:publicationStmt/tei:authority, $fd/tei:titleStmt/tei:title)[normalize-space()][1])"/>
  </xsl:function>

  <xsl:function name="f:bibl-id" as="xs:string">
    <xsl:param name="edition" as="xs:string"/>
    <xsl:variable name="slug" select="lower-case(replace(replace($edition, '[^\p{L}\p{N}]+', '-'), '^-|-$', ''))"/>
    <xsl:sequence select="'ed-' || (if ($slug) then substring($slug, 1, 60) else 'unknown')"/>
  </xsl:function>

  <xsl:template match="/">
    <TEI>
      <teiHeader>
        <fileDesc>
          <titleStmt>
            <title><xsl:value-of select="$title"/></title>
            <editor><xsl:value-of select="$editor"/><xsl:if test="$email"><email><xsl:value-of select="$email"/></email></xsl:if></editor>
          </titleStmt>
          <publicationStmt>
            <xsl:variable name="by" select="($publisher[normalize-space()], $editor)[1]"/>
            <publisher><xsl:choose>
              <xsl:when test="$edition-url"><ref target="{$edition-url}"><xsl:value-of select="$by"/></ref></xsl:when>
              <xsl:otherwise><xsl:value-of select="$by"/></xsl:otherwise>
            </xsl:choose></publisher>
            <xsl:if test="$url"><idno type="url"><xsl:value-of select="$url"/></idno></xsl:if>
            <xsl:if test="$date"><date when="{$date}"/></xsl:if>
            <availability>
              <!-- The edition's licence (settings: edition-licence, edition-licence-url), else CC BY 4.0. -->
              <xsl:choose>
                <xsl:when test="normalize-space($edition-licence-url)">
                  <licence target="{normalize-space($edition-licence-url)}">This file is licensed under the terms of <xsl:value-of select="(normalize-space($edition-licence)[.], normalize-space($edition-licence-url))[1]"/></licence>
                </xsl:when>
                <xsl:otherwise>
                  <licence target="https://creativecommons.org/licenses/by/4.0/">This file is licensed under the terms of the Creative-Commons-License CC-BY 4.0</licence>
                </xsl:otherwise>
              </xsl:choose>
            </availability>
          </publicationStmt>
          <sourceDesc>
            <xsl:for-each-group select="$docs" group-by="f:edition(.)">
              <xsl:sort select="f:bibl-id(current-grouping-key())"/>
              <xsl:variable name="uri" select="(current-group() ! f:record-uri(.))[1]"/>
              <bibl type="online" xml:id="{f:bibl-id(current-grouping-key())}">
                <xsl:value-of select="(current-grouping-key()[. ne ''], 'Unknown edition')[1]"/>
                <xsl:if test="$uri">
                  <xsl:text>. </xsl:text>
                  <ref target="{replace(normalize-space($uri), '^(https?://[^/]+).*$', '$1')}"><xsl:value-of select="replace(normalize-space($uri), '^(https?://[^/]+).*$', '$1')"/></ref>
                </xsl:if>
              </bibl>
            </xsl:for-each-group>
          </sourceDesc>
        </fileDesc>
        <profileDesc>
          <xsl:for-each select="$docs">
            <xsl:variable name="tei" select="."/>
            <xsl:variable name="uri" select="f:record-uri(.)"/>
            <!-- An action naming nobody, nowhere, never ("not named in the text") says nothing here. -->
            <xsl:for-each select="f:messages(.)[tei:correspAction[@type = ('sent', 'received')][not(@subtype)]
                [tei:persName | tei:orgName | tei:name | tei:placeName | tei:settlement | tei:date]]">
              <correspDesc source="#{f:bibl-id(f:edition($tei))}">
                <xsl:if test="$uri"><xsl:attribute name="ref" select="$uri"/></xsl:if>
                <xsl:attribute name="key" select="(@xml:id, f:doc-id($tei) || '-' || position())[1]"/>
                <xsl:for-each select="tei:correspAction[@type = ('sent', 'received')][not(@subtype)]
                    [tei:persName | tei:orgName | tei:name | tei:placeName | tei:settlement | tei:date]">
                  <correspAction type="{@type}">
                    <xsl:apply-templates select="tei:persName | tei:orgName | tei:name" mode="cmif"/>
                    <xsl:apply-templates select="(tei:placeName | tei:settlement)[1]" mode="cmif"/>
                    <xsl:apply-templates select="tei:date[1]" mode="cmif"/>
                  </correspAction>
                </xsl:for-each>
              </correspDesc>
            </xsl:for-each>
          </xsl:for-each>
        </profileDesc>
      </teiHeader>
      <text><body><p/></body></text>
    </TEI>
  </xsl:template>

  <!-- A person: the authority URI the personography gives, else the regularised name alone. -->
  <xsl:template match="tei:persName | tei:orgName | tei:name" mode="cmif">
    <xsl:variable name="e" select="f:entry(.)"/>
    <xsl:variable name="uri" select="if ($e) then f:authority($e) else f:external-ref(@ref)"/>
    <xsl:element name="{if (self::tei:orgName or $e/self::tei:org) then 'orgName' else 'persName'}">
      <xsl:if test="$uri"><xsl:attribute name="ref" select="$uri"/></xsl:if>
      <xsl:value-of select="if ($e) then f:reg-name($e) else normalize-space(.)"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:placeName | tei:settlement" mode="cmif">
    <xsl:variable name="e" select="f:entry(.)"/>
    <xsl:variable name="uri" select="if ($e) then f:authority($e) else f:external-ref(@ref)"/>
    <placeName>
      <xsl:if test="$uri"><xsl:attribute name="ref" select="$uri"/></xsl:if>
      <xsl:value-of select="if ($e) then f:reg-name($e) else normalize-space(.)"/>
    </placeName>
  </xsl:template>

  <!-- CMIF dates are days (or ranges of days): the time of a telegram is dropped here. -->
  <xsl:template match="tei:date" mode="cmif">
    <date>
      <xsl:for-each select="@when | @from | @to | @notBefore | @notAfter">
        <xsl:attribute name="{local-name()}" select="replace(., 'T.*$', '')"/>
      </xsl:for-each>
      <!-- CMIF knows one degree of doubt, cert="low" ("the attribution is uncertain"): an
           inference the converter was sure of (high) is stated plainly, any other is doubtful. -->
      <xsl:if test="@cert and not(@cert = 'high')"><xsl:attribute name="cert" select="'low'"/></xsl:if>
    </date>
  </xsl:template>

  <xsl:function name="f:authority" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="i" select="$e/tei:idno"/>
    <xsl:variable name="wd" select="normalize-space($i[lower-case(@type) = 'wikidata'][1])"/>
    <xsl:variable name="viaf" select="normalize-space($i[lower-case(@type) = 'viaf'][1])"/>
    <xsl:variable name="gnd" select="normalize-space($i[lower-case(@type) = 'gnd'][1])"/>
    <xsl:variable name="gn" select="normalize-space($i[lower-case(@type) = 'geonames'][1])"/>
    <xsl:sequence select="(
        if ($gn) then (if (starts-with($gn, 'http')) then $gn else 'http://www.geonames.org/' || $gn) else (),
        if ($wd) then (if (starts-with($wd, 'http')) then $wd else 'http://www.wikidata.org/entity/' || $wd) else (),
        if ($viaf) then (if (starts-with($viaf, 'http')) then $viaf else 'http://viaf.org/viaf/' || $viaf) else (),
        if ($gnd) then (if (starts-with($gnd, 'http')) then $gnd else 'http://d-nb.info/gnd/' || $gnd) else ()
      )[1]"/>
  </xsl:function>

  <!-- The record's address in the archive. The archive's records carry their number
       (idno type="wcda"), and their URLs sometimes point at a staging mirror of the archive
       (wilson-center-digital-archive.dvincitest.com, wilson-center.drivingcreative.com):
       correspSearch links readers to the canonical address, built from the number. -->
  <xsl:function name="f:record-uri" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="ps" select="$tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt"/>
    <xsl:variable name="uri" select="normalize-space($ps/tei:idno[@type = 'URI'][1])"/>
    <xsl:variable name="number" select="(normalize-space($ps/tei:idno[@type = 'wcda'][1])[matches(., '^[0-9]+$')],
        replace($uri, '^https?://[^/]*wilson[^/]*/document/([0-9]+)([/?#].*)?$', '$1', 'i')[. ne $uri])[1]"/>
    <xsl:sequence select="if ($number) then 'https://digitalarchive.wilsoncenter.org/document/' || $number
                          else $uri[. ne '']"/>
  </xsl:function>

  <!-- A colleague's @ref that already is an authority URI is kept. -->
  <xsl:function name="f:external-ref" as="xs:string?">
    <xsl:param name="ref" as="attribute()?"/>
    <xsl:variable name="first" select="tokenize(normalize-space($ref), ' ')[1]"/>
    <xsl:sequence select="if (matches($first, '^https?://(www\.)?(wikidata\.org|viaf\.org|d-nb\.info|(www\.)?geonames\.org)/')) then $first else ()"/>
  </xsl:function>
</xsl:stylesheet>
