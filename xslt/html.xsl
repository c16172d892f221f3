<?xml version="1.0" encoding="UTF-8"?>
<!--
  One TEI document -> one HTML5 page of the site: a metadata panel (citation,
  archival holdings, who sent what to whom, when and where, distribution), the
  reading text (original and translation side by side where both exist), notes
  as footnotes, a link to the TEI file and a "cite this" line.
  Parameters: root ('' or '../': where the site's root is from this page),
  tei-href (the link to the TEI file), doc-id (the id when the TEI has none).
  The page loads nothing from the network: one local stylesheet, no scripts.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:teipipe:functions"
    xmlns="http://www.w3.org/1999/xhtml"
    exclude-result-prefixes="#all">

  <xsl:import href="tei-html.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"
      include-content-type="no"/>

  <xsl:param name="tei-href" as="xs:string" select="''"/>
  <xsl:param name="site-title" as="xs:string" select="'Korean War Telegrams'"/>

  <xsl:template match="/">
    <xsl:apply-templates select="(tei:TEI, tei:teiCorpus)[1]" mode="page"/>
  </xsl:template>

  <xsl:template match="tei:TEI | tei:teiCorpus" mode="page">
    <xsl:variable name="page" as="element()"><xsl:apply-templates select="." mode="build-page"/></xsl:variable>
    <xsl:apply-templates select="$page" mode="valid"/>
  </xsl:template>

  <xsl:template match="tei:TEI | tei:teiCorpus" mode="build-page">
    <xsl:variable name="id" select="f:doc-id(.)"/>
    <xsl:variable name="title" select="f:title(.)"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> — <xsl:value-of select="$site-title"/></title>
        <link rel="stylesheet" href="{$root}assets/teipipe.css"/>
        <xsl:if test="tei:teiHeader//tei:abstract">
          <meta name="description" content="{normalize-space(tei:teiHeader//tei:abstract)}"/>
        </xsl:if>
      </head>
      <body class="telegram">
        <xsl:call-template name="site-header"/>
        <main id="main">
          <article aria-labelledby="doc-title">
            <header class="doc-head">
              <p class="kicker">
                <xsl:value-of select="f:date(f:doc-date(.))"/>
                <xsl:if test="f:archives(.)"> · <xsl:value-of select="f:archives(.)"/></xsl:if>
              </p>
              <h1 id="doc-title"><xsl:value-of select="$title"/></h1>
              <xsl:call-template name="route"/>
            </header>
            <div class="doc-grid">
              <aside class="meta" aria-label="About this document">
                <xsl:call-template name="metadata"/>
              </aside>
              <div class="reading">
                <xsl:for-each select="tei:teiHeader/tei:profileDesc/tei:abstract">
                  <section class="abstract" aria-label="Summary">
                    <xsl:call-template name="attrs"/>
                    <xsl:apply-templates/>
                  </section>
                </xsl:for-each>
                <xsl:call-template name="versions"/>
                <xsl:call-template name="footnotes">
                  <xsl:with-param name="text" select="tei:text | tei:TEI/tei:text"/>
                </xsl:call-template>
              </div>
            </div>
          </article>
        </main>
        <xsl:call-template name="site-footer"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="site-header">
    <xsl:param name="r" as="xs:string" select="$root"/>
    <a class="skip" href="#main">Skip to the text</a>
    <header class="site">
      <a class="brand" href="{$r}index.html"><xsl:value-of select="$site-title"/></a>
      <nav aria-label="Site">
        <a href="{$r}index.html">Telegrams</a>
        <a href="{$r}persons/index.html">Persons</a>
        <a href="{$r}places/index.html">Places</a>
      </nav>
    </header>
  </xsl:template>

  <xsl:template name="site-footer">
    <footer class="site">
      <p>A TEI P5 edition made with teipipe from the Wilson Center Digital Archive. Every page is
        generated from its TEI file by XSLT; the TEI is the edition of record.</p>
    </footer>
  </xsl:template>

  <!-- "Mao Zedong → Stalin" under the title: the outer message's route. -->
  <xsl:template name="route">
    <xsl:variable name="c" select="f:messages(.)[1]"/>
    <xsl:if test="$c">
      <p class="route">
        <xsl:call-template name="people"><xsl:with-param name="names" select="$c/tei:correspAction[@type = 'sent']/(tei:persName | tei:orgName | tei:name)"/></xsl:call-template>
        <span class="arrow" aria-label="to"> → </span>
        <xsl:call-template name="people"><xsl:with-param name="names" select="$c/tei:correspAction[@type = 'received'][not(@subtype)]/(tei:persName | tei:orgName | tei:name)"/></xsl:call-template>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- Names as the reader knows them, linked to their pages; the form the source used in a title. -->
  <xsl:template name="people">
    <xsl:param name="names" as="element()*"/>
    <xsl:param name="short" as="xs:boolean" select="false()"/>
    <xsl:for-each select="$names">
      <xsl:if test="position() gt 1">, </xsl:if>
      <xsl:variable name="e" select="f:entry(.)"/>
      <xsl:variable name="shown" select="if ($short) then f:short-name(.) else f:display-name(.)"/>
      <xsl:variable name="href" select="f:entry-href($e)"/>
      <xsl:choose>
        <xsl:when test="$href"><a href="{$href}" class="{local-name()}"><xsl:value-of select="$shown"/></a></xsl:when>
        <xsl:otherwise><span class="{local-name()}"><xsl:value-of select="$shown"/></span></xsl:otherwise>
      </xsl:choose>
      <xsl:if test="$e and not($short) and normalize-space(.) ne ''
          and not(contains(lower-case(f:reg-name($e)), lower-case(normalize-space(.))))
          and not(contains(lower-case($shown), lower-case(normalize-space(.))))">
        <span class="as-named"> (as “<xsl:value-of select="normalize-space(.)"/>”)</span>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- ===== The metadata panel ===== -->
  <xsl:template name="metadata">
    <xsl:variable name="h" select="tei:teiHeader"/>
    <h2 class="panel-h">About this document</h2>
    <xsl:for-each select="f:messages(.)">
      <section class="message">
        <h3><xsl:value-of select="if (position() = 1) then 'Message' else 'Quoted message ' || position() - 1"/></h3>
        <dl>
          <xsl:for-each select="tei:correspAction">
            <dt><xsl:value-of select="if (@subtype = 'cc') then 'Copies to' else if (@type = 'transmitted') then 'Via'
                else if (@type) then upper-case(substring(@type, 1, 1)) || substring(@type, 2) else 'Action'"/></dt>
            <dd>
              <xsl:call-template name="people"><xsl:with-param name="names" select="tei:persName | tei:orgName | tei:name"/>
                <xsl:with-param name="short" select="@subtype = 'cc'"/></xsl:call-template>
              <xsl:for-each select="tei:placeName | tei:settlement">
                <xsl:text>, </xsl:text>
                <xsl:call-template name="people"><xsl:with-param name="names" select="."/></xsl:call-template>
              </xsl:for-each>
              <xsl:for-each select="tei:note">
                <span class="unnamed"><xsl:value-of select="normalize-space(.)"/></span>
              </xsl:for-each>
              <xsl:for-each select="tei:date">
                <xsl:if test="../(tei:persName | tei:orgName | tei:name | tei:placeName)">, </xsl:if>
                <time datetime="{f:iso(.)}"><xsl:value-of select="f:date(.)"/></time>
                <xsl:if test="@cert and @cert ne 'high'"><span class="cert" title="{'inferred: ' || string-join(for $a in tokenize(@ana, '\s+') return normalize-space(key('xmlid', f:local-ref($a))/tei:catDesc), '; ')}"> (inferred)</span></xsl:if>
              </xsl:for-each>
            </dd>
          </xsl:for-each>
        </dl>
      </section>
    </xsl:for-each>

    <xsl:variable name="ms" select="$h/tei:fileDesc/tei:sourceDesc//tei:msDesc"/>
    <xsl:if test="$ms">
      <section class="holdings">
        <h3>Archival holdings</h3>
        <ul>
          <xsl:for-each select="$ms">
            <li>
              <xsl:variable name="i" select="tei:msIdentifier"/>
              <strong><xsl:value-of select="($i/tei:altIdentifier/tei:idno[@type = 'siglum'], $i/tei:repository/@n, $i/tei:repository, $i/tei:institution)[1]"/></strong>
              <xsl:if test="$i/tei:repository and $i/tei:altIdentifier/tei:idno[@type = 'siglum']">
                <span class="repo"> — <xsl:value-of select="$i/tei:repository"/></span>
              </xsl:if>
              <xsl:if test="$i/tei:settlement">, <xsl:value-of select="$i/tei:settlement"/></xsl:if>
              <xsl:variable name="idnos" select="$i/tei:idno"/>
              <xsl:if test="$idnos or tei:msContents/tei:msItem/tei:locus">
                <dl class="shelf">
                  <xsl:for-each select="$idnos">
                    <div><dt><xsl:value-of select="(@type, 'shelfmark')[1]"/></dt><dd><xsl:value-of select="."/></dd></div>
                  </xsl:for-each>
                  <xsl:for-each select="tei:msContents/tei:msItem/tei:locus">
                    <div><dt>listy</dt><dd><xsl:value-of select="."/></dd></div>
                  </xsl:for-each>
                </dl>
              </xsl:if>
              <xsl:apply-templates select="tei:p"/>
            </li>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:if>

    <xsl:variable name="langs" select="$h/tei:profileDesc/tei:langUsage/tei:language"/>
    <xsl:if test="$langs">
      <section><h3>Languages</h3><p><xsl:value-of select="string-join($langs ! normalize-space(.), ', ')"/></p></section>
    </xsl:if>

    <xsl:variable name="cit" select="$h/tei:fileDesc/tei:sourceDesc/tei:bibl[1]"/>
    <xsl:choose>
      <xsl:when test="$cit">
        <section class="citation"><h3>Source</h3><p><xsl:apply-templates select="$cit/node()"/></p></section>
      </xsl:when>
      <xsl:when test="$h/tei:fileDesc/tei:sourceDesc[not(tei:msDesc)][normalize-space()]">
        <section class="citation"><h3>Source</h3>
          <p><xsl:value-of select="substring(normalize-space(string-join($h/tei:fileDesc/tei:sourceDesc, ' ')), 1, 600)"/></p></section>
      </xsl:when>
    </xsl:choose>

    <section class="cite">
      <h3>Cite this</h3>
      <p class="cite-line"><xsl:call-template name="cite-line"/></p>
      <p class="files">
        <a href="{if ($tei-href) then $tei-href else $root || 'tei/' || f:doc-id(.) || '.xml'}" type="application/tei+xml">TEI P5 file</a>
        <xsl:for-each select="$h/tei:fileDesc/tei:publicationStmt/tei:idno[@type = 'URI'][1]">
          · <a href="{normalize-space(.)}">record in the archive</a>
        </xsl:for-each>
      </p>
    </section>
  </xsl:template>

  <xsl:template name="cite-line">
    <xsl:variable name="d" select="f:doc-date(.)"/>
    <xsl:variable name="uri" select="tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:idno[@type = 'URI'][1]"/>
    <xsl:text>“</xsl:text><xsl:value-of select="f:title(.)"/><xsl:text>”</xsl:text>
    <xsl:if test="$d">, <xsl:value-of select="f:date($d)"/></xsl:if>
    <xsl:if test="tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:msDesc">, <xsl:value-of
        select="string-join(tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:msDesc ! f:holding(.), '; ')"/></xsl:if>
    <xsl:text>. TEI edition, </xsl:text><xsl:value-of select="f:doc-id(.)"/>
    <xsl:if test="$uri">. <xsl:value-of select="normalize-space($uri)"/></xsl:if>
    <xsl:text>.</xsl:text>
  </xsl:template>

  <!-- ===== The text: original and translation side by side where both exist ===== -->
  <xsl:template name="versions">
    <xsl:variable name="body" select="(tei:text | tei:TEI/tei:text)"/>
    <xsl:variable name="orig" select="$body/tei:body/tei:div[@type = 'original']"/>
    <xsl:variable name="trans" select="$body/tei:body/tei:div[@type = 'translation']"/>
    <xsl:choose>
      <xsl:when test="$orig and $trans">
        <!-- On a phone the versions stand one after the other: a jump to each. -->
        <nav class="version-nav" aria-label="Versions">
          <xsl:for-each select="$trans, $orig">
            <xsl:if test="position() gt 1"> · </xsl:if>
            <a href="#{@type}-h"><xsl:value-of select="if (@type = 'original') then 'Original' else 'Translation'"/>
              <xsl:if test="@xml:lang"> (<xsl:value-of select="f:lang-name(.)"/>)</xsl:if></a>
          </xsl:for-each>
        </nav>
        <div class="parallel" role="group" aria-label="Original and translation side by side">
          <xsl:for-each select="$orig, $trans">
            <section class="version {@type}" aria-labelledby="{@type}-h">
              <xsl:call-template name="attrs"/>
              <h2 class="version-h" id="{@type}-h" lang="en">
                <xsl:value-of select="if (@type = 'original') then 'Original' else 'Translation'"/>
                <xsl:if test="@xml:lang"> (<xsl:value-of select="f:lang-name(.)"/>)</xsl:if>
              </h2>
              <xsl:apply-templates/>
            </section>
          </xsl:for-each>
        </div>
        <xsl:apply-templates select="$body/tei:body/node() except ($orig, $trans)"/>
      </xsl:when>
      <xsl:otherwise>
        <section class="version single" aria-label="Text">
          <!-- Not over an EpiDoc edition: its divs head themselves (tei-html.xsl), Latin is no translation. -->
          <xsl:for-each select="$body/tei:body/tei:div[@type = ('translation', 'original')][not(../tei:div[@type = 'edition'])][1]">
            <h2 class="version-h" lang="en"><xsl:value-of select="if (@type = 'original') then 'Original' else 'Translation'"/>
              <xsl:if test="@xml:lang"> (<xsl:value-of select="f:lang-name(.)"/>)</xsl:if></h2>
          </xsl:for-each>
          <xsl:apply-templates select="if (self::tei:teiCorpus) then tei:TEI | tei:teiCorpus else $body"/>
        </section>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:function name="f:lang-name" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="f:language($div)"/>
  </xsl:function>

  <!-- A teiCorpus shows the texts of its TEI documents one after another. -->
  <xsl:template match="tei:teiCorpus/tei:TEI">
    <section class="corpus-member">
      <h2><xsl:value-of select="f:title(.)"/></h2>
      <xsl:apply-templates select="tei:text"/>
    </section>
  </xsl:template>
</xsl:stylesheet>
