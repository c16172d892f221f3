<?xml version="1.0" encoding="UTF-8"?>
<!--
  One TEI document -> a small metadata record for the corpus pages (index,
  persons, places). Python only concatenates these; site.xsl renders them.
    <doc id file sort edition?>
      <title/> <date when/> <from ref/>* <to ref/>* <archive/> <abstract/>
      <mention ref kind="person|place" role="sender|recipient|cc|via|mentioned"/>*
      <entry> copies of the standOff person/place entries the document points at </entry>
    </doc>
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:teipipe:functions"
    exclude-result-prefixes="xs f">

  <xsl:import href="common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <!-- The TEI file's name as the site links it (tei/<file>). -->
  <xsl:param name="file" as="xs:string" select="''"/>

  <xsl:template match="/">
    <xsl:apply-templates select="(tei:TEI, tei:teiCorpus)[1]"/>
  </xsl:template>

  <xsl:template match="tei:TEI | tei:teiCorpus">
    <xsl:variable name="id" select="f:doc-id(.)"/>
    <xsl:variable name="doc" select="root(.)"/>
    <xsl:variable name="d" select="f:doc-date(.)"/>
    <xsl:variable name="c1" select="f:messages(.)[1]"/>
    <xsl:variable name="corresp" select="tei:teiHeader/tei:profileDesc/tei:correspDesc"/>
    <!-- Every mention with a local pointer to an entry the document carries, and its role. -->
    <xsl:variable name="mentions" as="element()*">
      <xsl:for-each select="$corresp/tei:correspAction/(tei:persName | tei:placeName | tei:orgName | tei:name)">
        <xsl:variable name="role" select="if (../@subtype = 'cc') then 'cc' else if (../@type = 'sent') then 'sender'
            else if (../@type = 'received') then 'recipient' else if (../@type = 'transmitted') then 'via' else 'mentioned'"/>
        <xsl:sequence select="f:mention(., $role)"/>
      </xsl:for-each>
      <xsl:for-each select="(tei:text | tei:TEI/tei:text)//(tei:persName | tei:placeName | tei:name | tei:rs)">
        <xsl:sequence select="f:mention(., 'mentioned')"/>
      </xsl:for-each>
    </xsl:variable>
    <doc id="{$id}" file="{if ($file) then $file else $id || '.xml'}" sort="{f:iso($d)}">
      <!-- the edition another project's file says it belongs to (the corpus pages' title) -->
      <xsl:for-each select="f:own-edition-title(.)[. ne '']"><xsl:attribute name="edition" select="."/></xsl:for-each>
      <title><xsl:value-of select="f:title(.)"/></title>
      <date when="{f:iso($d)}"><xsl:value-of select="f:date($d)"/></date>
      <xsl:for-each select="$c1/tei:correspAction[@type = 'sent']/(tei:persName | tei:orgName | tei:name)">
        <from ref="{f:entry(.)/@xml:id}" short="{f:short-name(.)}"><xsl:value-of select="f:display-name(.)"/></from>
      </xsl:for-each>
      <xsl:for-each select="$c1/tei:correspAction[@type = 'received'][not(@subtype)]/(tei:persName | tei:orgName | tei:name)">
        <to ref="{f:entry(.)/@xml:id}" short="{f:short-name(.)}"><xsl:value-of select="f:display-name(.)"/></to>
      </xsl:for-each>
      <xsl:for-each select="$c1/tei:correspAction[@type = 'sent']/tei:placeName">
        <from-place ref="{f:entry(.)/@xml:id}"><xsl:value-of select="f:display-name(.)"/></from-place>
      </xsl:for-each>
      <archive><xsl:value-of select="f:archives(.)"/></archive>
      <holdings><xsl:value-of select="string-join(tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:msDesc ! f:holding(.), '; ')"/></holdings>
      <abstract><xsl:value-of select="normalize-space(tei:teiHeader/tei:profileDesc/tei:abstract)"/></abstract>
      <xsl:for-each-group select="$mentions" group-by="@ref || ' ' || @role">
        <xsl:sort select="@ref"/><xsl:sort select="@role"/>
        <mention ref="{@ref}" kind="{@kind}" role="{@role}" n="{count(current-group())}"/>
      </xsl:for-each-group>
      <xsl:for-each select="distinct-values($mentions/@ref)">
        <xsl:sort select="."/>
        <entry><xsl:copy-of select="key('xmlid', ., $doc)[1]" copy-namespaces="no"/></entry>
      </xsl:for-each>
    </doc>
  </xsl:template>

  <xsl:function name="f:mention" as="element()?">
    <xsl:param name="m" as="element()"/>
    <xsl:param name="role" as="xs:string"/>
    <xsl:variable name="e" select="f:entry($m)"/>
    <!-- an entry whose id is not an XML name gets no page (the id would name its
         file) and is left out; the validator reports the id (xml-id-name) -->
    <xsl:if test="$e and ($e/@xml:id castable as xs:NCName)">
      <mention ref="{$e/@xml:id}" kind="{if ($e/self::tei:place) then 'place' else if ($e/self::tei:person) then 'person' else 'org'}" role="{$role}"/>
    </xsl:if>
  </xsl:function>
</xsl:stylesheet>
