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
  <!-- The edition's name in every page's header: the settings' title, else this archive's name
       for its records, another project's file by its own (f:edition-title in common.xsl). -->
  <xsl:param name="site-title" as="xs:string"
      select="f:edition-title((/tei:TEI, /tei:teiCorpus)[1] ! f:own-edition-title(.))"/>

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
        <title><xsl:value-of select="$title"/><xsl:if test="$site-title ne $title"> — <xsl:value-of select="$site-title"/></xsl:if></title>
        <link rel="stylesheet" href="{$root}assets/teipipe.css"/>
        <xsl:if test="tei:teiHeader//tei:abstract">
          <meta name="description" content="{normalize-space(tei:teiHeader//tei:abstract)}"/>
        </xsl:if>
      </head>
      <body class="telegram">
        <xsl:call-template name="site-header"/>
        <main id="main">
          <article aria-labelledby="doc-title" data-pagefind-body="" data-pagefind-meta="kind:Telegram">
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
        <a href="{$r}search.html">Search</a>
      </nav>
    </header>
  </xsl:template>

  <xsl:template name="site-footer">
    <footer class="site">
      <xsl:call-template name="edition-credits"/>
      <p>A TEI P5 edition made with teipipe from the Wilson Center Digital Archive. Every page is
        generated from its TEI file by XSLT; the TEI is the edition of record.</p>
    </footer>
  </xsl:template>

  <!-- Who made the edition, its licence and address, from the settings (nothing when none is set). -->
  <xsl:template name="edition-credits">
    <xsl:if test="exists($f:editors) or $edition-publisher or $edition-licence or $edition-base-url or $edition-date">
      <p class="edition">
        <xsl:if test="$edition-title"><cite><xsl:value-of select="$edition-title"/></cite></xsl:if>
        <xsl:if test="exists($f:editors)">
          <xsl:if test="$edition-title">, </xsl:if>
          <xsl:text>edited by </xsl:text>
          <xsl:for-each select="$f:editors">
            <xsl:variable name="i" select="position()"/>
            <xsl:if test="$i gt 1"><xsl:value-of select="if ($i eq last()) then ' and ' else ', '"/></xsl:if>
            <xsl:variable name="mail" select="$f:editor-emails[$i]"/>
            <xsl:choose>
              <xsl:when test="$mail"><a href="mailto:{$mail}"><xsl:value-of select="."/></a></xsl:when>
              <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </xsl:if>
        <xsl:if test="$edition-publisher or $edition-date">
          <xsl:text>. </xsl:text>
          <xsl:value-of select="string-join(($edition-publisher, $f:edition-date)[. ne ''], ', ')"/>
        </xsl:if>
        <xsl:if test="$edition-licence or $edition-licence-url">
          <xsl:text>. Licence: </xsl:text>
          <xsl:choose>
            <xsl:when test="$edition-licence-url"><a rel="license" href="{$edition-licence-url}"><xsl:value-of select="($edition-licence[. ne ''], $edition-licence-url)[1]"/></a></xsl:when>
            <xsl:otherwise><xsl:value-of select="$edition-licence"/></xsl:otherwise>
          </xsl:choose>
        </xsl:if>
        <xsl:if test="$edition-base-url">. <a href="{$edition-base-url}"><xsl:value-of select="$edition-base-url"/></a></xsl:if>
        <xsl:text>.</xsl:text>
      </p>
    </xsl:if>
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
                else if (@type) then upper-case(substring(@type, 1, 1)) || substring(@type, 2) else 'Action'"/></dt><xsl:text> </xsl:text>
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
            </dd><xsl:text> </xsl:text>
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
                    <div><dt><xsl:value-of select="(@type, 'shelfmark')[1]"/></dt><xsl:text> </xsl:text><dd><xsl:value-of select="."/></dd><xsl:text> </xsl:text></div>
                  </xsl:for-each>
                  <xsl:for-each select="tei:msContents/tei:msItem/tei:locus">
                    <div><dt>listy</dt><xsl:text> </xsl:text><dd><xsl:value-of select="."/></dd><xsl:text> </xsl:text></div>
                  </xsl:for-each>
                </dl>
              </xsl:if>
              <xsl:apply-templates select="tei:p"/>
            </li>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:if>

    <xsl:variable name="langs" select="f:text-languages(.)"/>
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

    <section class="cite" data-pagefind-ignore="">
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
    <xsl:call-template name="cite-edition"/>
    <xsl:text>. TEI edition, </xsl:text><xsl:value-of select="f:doc-id(.)"/>
    <xsl:if test="$uri">. <xsl:value-of select="normalize-space($uri)"/></xsl:if>
    <xsl:text>.</xsl:text>
  </xsl:template>

  <!-- The edition in "cite this", from the settings: ". In: Title, ed. by A and B. Publisher,
       2026. https://base/<id>.html" (nothing when none of them is set). -->
  <xsl:template name="cite-edition">
    <xsl:if test="$edition-title or exists($f:editors) or $edition-publisher or $edition-base-url">
      <xsl:text>. In: </xsl:text>
      <xsl:value-of select="string-join((
          $site-title || (if (exists($f:editors)) then ', ed. by ' || f:and($f:editors) else ''),
          string-join(($edition-publisher, $f:edition-date)[. ne ''], ', ')[. ne ''],
          ($edition-base-url[. ne ''] ! (. || (if (ends-with(., '/')) then '' else '/') || f:doc-id(current()) || '.html'))), '. ')"/>
    </xsl:if>
  </xsl:template>

  <!-- ===== The text: original and translation side by side where both exist ===== -->
  <xsl:template name="versions">
    <xsl:variable name="body" select="(tei:text | tei:TEI/tei:text)"/>
    <xsl:variable name="orig" select="$body/tei:body/tei:div[@type = 'original']"/>
    <xsl:variable name="trans" select="$body/tei:body/tei:div[@type = 'translation']"/>
    <xsl:choose>
      <xsl:when test="$orig and $trans">
        <xsl:call-template name="aligned">
          <xsl:with-param name="orig" select="$orig[1]"/>
          <xsl:with-param name="trans" select="$trans[1]"/>
        </xsl:call-template>
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

  <!-- ===== The aligned parallel view =====
       Both versions are rendered whole (the same templates as any text), then cut into rows at
       the paragraphs the TEI links with @corresp: before each linked element, and after each one
       that holds no further links. Row k of the original and row k of the translation are cells
       of one CSS grid row, so a linked pair starts at the same height however long the paragraphs
       before it; what lies between links (openers, distribution lists, unlinked paragraphs) gets
       rows of its own, in reading order. Each section keeps its whole text in document order
       (display: contents in the CSS), so a screen reader, a search index and a copy-paste read
       one version through, not a zig-zag. On a phone the grid has one column and each original
       cell is a details element under its translation: a toggle that needs no script. -->
  <xsl:key name="html-id" match="*[@id]" use="string(@id)"/>

  <xsl:variable name="aligned-blocks" select="('div', 'div1', 'div2', 'div3', 'div4', 'div5', 'p', 'ab',
      'item', 'list', 'table', 'lg', 'l', 'quote', 'floatingText', 'head', 'opener', 'closer', 'sp',
      'dateline', 'salute', 'signed', 'postscript')"/>

  <xsl:template name="aligned">
    <xsl:param name="orig" as="element()"/>
    <xsl:param name="trans" as="element()"/>
    <xsl:variable name="o-html"><div><xsl:apply-templates select="$orig/node()"/></div></xsl:variable>
    <xsl:variable name="t-html"><div><xsl:apply-templates select="$trans/node()"/></div></xsl:variable>
    <!-- The links usable as cuts: both ends rendered with their id, in the same order and the
         same nesting on both sides (a crossing link cannot share a row and is left to flow). -->
    <xsl:variable name="candidates" as="map(*)*">
      <xsl:for-each select="$trans//*[@xml:id][@corresp][local-name() = $aligned-blocks]">
        <xsl:variable name="ref" select="(tokenize(normalize-space(@corresp), ' ')[starts-with(., '#')])[1]"/>
        <xsl:variable name="o" select="if ($ref) then key('xmlid', substring($ref, 2), root(.))[1] else ()"/>
        <xsl:variable name="oh" select="if ($o and $o/ancestor::* intersect $orig and local-name($o) = $aligned-blocks)
            then key('html-id', string($o/@xml:id), $o-html)[1] else ()"/>
        <xsl:variable name="th" select="key('html-id', string(@xml:id), $t-html)[1]"/>
        <xsl:if test="$oh and $th">
          <xsl:sequence select="map{'t': $th, 'o': $oh}"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="pairs" as="map(*)*">
      <xsl:iterate select="$candidates">
        <xsl:param name="kept" as="map(*)*" select="()"/>
        <xsl:on-completion select="$kept"/>
        <xsl:variable name="last" select="$kept[last()]"/>
        <xsl:variable name="ok" select="empty($last) or (?o >> $last?o
            and exists(?t/ancestor::* intersect $last?t) eq exists(?o/ancestor::* intersect $last?o))"/>
        <xsl:next-iteration>
          <xsl:with-param name="kept" select="if ($ok) then ($kept, .) else $kept"/>
        </xsl:next-iteration>
      </xsl:iterate>
    </xsl:variable>
    <xsl:variable name="t-cuts" as="map(*)*" select="f:cuts($pairs, 't')"/>
    <xsl:variable name="o-cuts" as="map(*)*" select="f:cuts($pairs, 'o')"/>
    <!-- One pass over each version: every node goes to the row it lies in. -->
    <xsl:variable name="t-pieces" as="element()*">
      <xsl:apply-templates select="$t-html/*/node()" mode="split"><xsl:with-param name="cuts" select="$t-cuts" tunnel="yes"/></xsl:apply-templates>
    </xsl:variable>
    <xsl:variable name="o-pieces" as="element()*">
      <xsl:apply-templates select="$o-html/*/node()" mode="split"><xsl:with-param name="cuts" select="$o-cuts" tunnel="yes"/></xsl:apply-templates>
    </xsl:variable>
    <xsl:variable name="t-rows" as="map(xs:integer, node()*)" select="f:by-row($t-pieces)"/>
    <xsl:variable name="o-rows" as="map(xs:integer, node()*)" select="f:by-row($o-pieces)"/>
    <xsl:variable name="rows" as="element()*">
      <xsl:for-each select="0 to count($t-cuts)">
        <xsl:variable name="k" select="."/>
        <xsl:variable name="t" select="$t-rows($k)"/>
        <xsl:variable name="o" select="$o-rows($k)"/>
        <xsl:if test="f:has-content($t) or f:has-content($o)">
          <row linked="{$k gt 0 and $t-cuts[$k]?kind = 'before'}">
            <t><xsl:sequence select="$t"/></t><o><xsl:sequence select="$o"/></o>
          </row>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <div class="parallel aligned" role="group" aria-label="Original and translation side by side">
      <xsl:for-each select="$orig, $trans">
        <xsl:variable name="side" select="if (. is $orig) then 'o' else 't'"/>
        <xsl:variable name="label" as="xs:string" select="(if (@type = 'original') then 'Original' else 'Translation')
            || (if (@xml:lang) then ' (' || f:lang-name(.) || ')' else '')"/>
        <section class="version {@type}" aria-labelledby="{@type}-h">
          <xsl:call-template name="attrs"/>
          <h2 class="version-h" id="{@type}-h" lang="en" style="grid-row: 1; order: {if ($side = 't') then 0 else 1}">
            <xsl:value-of select="$label"/>
          </h2>
          <xsl:for-each select="$rows">
            <xsl:variable name="r" select="position() + 1"/>
            <xsl:variable name="cell" select="*[local-name() = $side]/node()"/>
            <xsl:variable name="class" select="'cell' || (if (@linked = 'true') then ' linked' else '')"/>
            <xsl:choose>
              <xsl:when test="$side = 't'">
                <div class="{$class}" style="grid-row: {$r}; order: {2 * $r}"><xsl:sequence select="$cell"/></div>
              </xsl:when>
              <xsl:when test="f:has-content($cell)">
                <details class="{$class}" style="grid-row: {$r}; order: {2 * $r + 1}">
                  <summary lang="en"><xsl:value-of select="$label"/></summary>
                  <xsl:sequence select="$cell"/>
                </details>
              </xsl:when>
              <xsl:otherwise><div class="{$class} empty" style="grid-row: {$r}; order: {2 * $r + 1}"/></xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </section>
      </xsl:for-each>
    </div>
  </xsl:template>

  <!-- The cuts of one side, in document order: before each linked element, and after each
       linked element that holds no further link (so the pair has its row to itself). -->
  <xsl:function name="f:cuts" as="map(*)*">
    <xsl:param name="pairs" as="map(*)*"/>
    <xsl:param name="side" as="xs:string"/>
    <xsl:for-each select="$pairs">
      <xsl:variable name="e" select="?($side)"/>
      <xsl:variable name="i" select="position()"/>
      <xsl:sequence select="map{'kind': 'before', 'el': $e}"/>
      <!-- Pairs come in document order, so a link inside this one would be the next. -->
      <xsl:if test="not(exists($pairs[$i + 1]?($side)/ancestor::* intersect $e))">
        <xsl:sequence select="map{'kind': 'after', 'el': $e}"/>
      </xsl:if>
    </xsl:for-each>
  </xsl:function>

  <!-- The row a node starts in: how many cuts lie before it. The cuts are in document
       order, so those before a node are a prefix of them: found by halving. -->
  <xsl:function name="f:row-of" as="xs:integer">
    <xsl:param name="n" as="node()"/>
    <xsl:param name="cuts" as="map(*)*"/>
    <xsl:sequence select="f:row-of($n, $cuts, 0, count($cuts))"/>
  </xsl:function>
  <xsl:function name="f:row-of" as="xs:integer">
    <xsl:param name="n" as="node()"/>
    <xsl:param name="cuts" as="map(*)*"/>
    <xsl:param name="lo" as="xs:integer"/>
    <xsl:param name="hi" as="xs:integer"/>
    <xsl:variable name="mid" select="($lo + $hi + 1) idiv 2"/>
    <xsl:sequence select="if ($lo ge $hi) then $lo
        else if (f:cut-before($cuts[$mid], $n)) then f:row-of($n, $cuts, $mid, $hi)
        else f:row-of($n, $cuts, $lo, $mid - 1)"/>
  </xsl:function>
  <xsl:function name="f:cut-before" as="xs:boolean">
    <xsl:param name="cut" as="map(*)"/>
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="if ($cut?kind = 'before') then ($n is $cut?el or $n >> $cut?el)
        else ($n >> $cut?el and empty($n/ancestor::* intersect $cut?el))"/>
  </xsl:function>

  <!-- The pieces' contents by row number. -->
  <xsl:function name="f:by-row" as="map(xs:integer, node()*)">
    <xsl:param name="pieces" as="element()*"/>
    <xsl:map>
      <xsl:for-each-group select="$pieces" group-by="xs:integer(@row)">
        <xsl:map-entry key="current-grouping-key()" select="current-group()/node()"/>
      </xsl:for-each-group>
    </xsl:map>
  </xsl:function>

  <xsl:function name="f:has-content" as="xs:boolean">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="normalize-space(string-join($nodes ! string(.), '')) ne ''
        or exists($nodes/descendant-or-self::*[local-name() = ('table', 'hr', 'img')])"/>
  </xsl:function>

  <!-- A rendered version cut into rows: each node becomes pieces (piece row="k"). An
       element wholly in one row is one piece; an element a cut passes through is copied
       shallow into each row it reaches (its id only where it starts), around its children's
       pieces of that row. -->
  <xsl:template match="*" mode="split">
    <xsl:param name="cuts" as="map(*)*" tunnel="yes"/>
    <xsl:variable name="s" select="f:row-of(., $cuts)"/>
    <xsl:variable name="e" select="f:row-of((descendant-or-self::node())[last()], $cuts)"/>
    <xsl:choose>
      <xsl:when test="$s eq $e"><piece row="{$s}"><xsl:copy-of select="."/></piece></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="el" select="."/>
        <xsl:variable name="parts" as="element()*"><xsl:apply-templates mode="split"/></xsl:variable>
        <xsl:for-each-group select="$parts" group-adjacent="xs:integer(@row)">
          <xsl:if test="f:has-content(current-group()/node())">
            <piece row="{current-grouping-key()}">
              <xsl:element name="{local-name($el)}" namespace="{namespace-uri($el)}">
                <xsl:copy-of select="$el/@* except (if (current-grouping-key() ne $s) then $el/@id else ())"/>
                <xsl:if test="current-grouping-key() ne $s"><xsl:attribute name="data-continued" select="'yes'"/></xsl:if>
                <xsl:copy-of select="current-group()/node()"/>
              </xsl:element>
            </piece>
          </xsl:if>
        </xsl:for-each-group>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="text() | comment()" mode="split">
    <xsl:param name="cuts" as="map(*)*" tunnel="yes"/>
    <piece row="{f:row-of(., $cuts)}"><xsl:copy/></piece>
  </xsl:template>

  <!-- A wide table scrolls inside its own box (the page never scrolls sideways), with shadows
       at the cut-off edges and a hint under it; the box can be focused and scrolled by keyboard. -->
  <xsl:template match="tei:table">
    <xsl:variable name="cols" select="max((0, tei:row ! sum(tei:cell ! xs:integer((@cols[. castable as xs:integer], 1)[1]))))"/>
    <div class="table-wrap">
      <div class="table-scroll" role="region" tabindex="0"
          aria-label="{if (tei:head) then normalize-space(tei:head) else 'Table'} (scrolls sideways)">
        <xsl:next-match/>
      </div>
      <!-- In the same wrapper as the box, so the CSS can show it only when the box scrolls. -->
      <xsl:if test="$cols ge 2">
        <p class="scroll-hint" lang="en" aria-hidden="true">Wide table: scroll sideways to see all <xsl:value-of select="$cols"/> columns.</p>
      </xsl:if>
    </div>
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
