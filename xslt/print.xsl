<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI -> HTML for paged media (WeasyPrint, styled by print.css).
  A teiCorpus (the corpus gathered by pipeline.pdf) becomes a book: title page,
  table of contents with page numbers (target-counter), one telegram per chapter
  with running heads (string-set), footnotes at the foot of the page
  (float: footnote), and a person index with page numbers.
  A single TEI becomes one chapter, for the PDF of one telegram.
  The reading text is the site's (tei-html.xsl); only notes, names and links differ.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:teipipe:functions"
    xmlns="http://www.w3.org/1999/xhtml"
    exclude-result-prefixes="#all">

  <xsl:import href="tei-html.xsl"/>
  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <!-- The book's title and subtitle: the settings' (teipipe.toml), else this archive's name for
       its records, another project's edition by its own name (common.xsl). -->
  <xsl:param name="book-title" as="xs:string" select="f:edition-title($docs ! f:own-edition-title(.))"/>
  <xsl:param name="book-subtitle" as="xs:string" select="f:edition-subtitle($docs ! f:own-edition-title(.))"/>
  <!-- The stylesheet the HTML links to (resolved by WeasyPrint against the xslt folder). -->
  <xsl:param name="css" as="xs:string" select="'print.css'"/>

  <xsl:variable name="root" select="/"/>
  <xsl:variable name="docs" as="element(tei:TEI)*">
    <xsl:perform-sort select="//tei:TEI">
      <xsl:sort select="f:iso(f:doc-date(.))"/><xsl:sort select="f:doc-id(.)"/>
    </xsl:perform-sort>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:variable name="page" as="element()"><xsl:call-template name="book"/></xsl:variable>
    <xsl:apply-templates select="$page" mode="valid"/>
  </xsl:template>

  <xsl:template name="book">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="if (tei:teiCorpus) then $book-title else f:title(tei:TEI)"/></title>
        <meta name="generator" content="teipipe"/>
        <link rel="stylesheet" href="{$css}"/>
      </head>
      <!-- data-book: the running head of left-hand pages (string-set in print.css) -->
      <body class="{if (tei:teiCorpus) then 'book' else 'single'}" data-book="{$book-title}">
        <xsl:choose>
          <xsl:when test="tei:teiCorpus">
            <xsl:call-template name="title-page"/>
            <xsl:call-template name="toc"/>
            <xsl:for-each select="$docs">
              <xsl:apply-templates select="." mode="chapter"><xsl:with-param name="no" select="position()"/></xsl:apply-templates>
            </xsl:for-each>
            <xsl:call-template name="person-index"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates select="tei:TEI" mode="chapter"/>
          </xsl:otherwise>
        </xsl:choose>
      </body>
    </html>
  </xsl:template>

  <!-- ===== Front matter ===== -->
  <xsl:template name="title-page">
    <section class="title-page">
      <p class="tp-kicker">A TEI P5 reading edition</p>
      <h1 class="tp-title"><xsl:value-of select="$book-title"/></h1>
      <xsl:if test="$book-subtitle"><p class="tp-subtitle"><xsl:value-of select="$book-subtitle"/></p></xsl:if>
      <xsl:if test="exists($f:editors)">
        <p class="tp-editors">Edited by <xsl:value-of select="f:and($f:editors)"/></p>
      </xsl:if>
      <xsl:variable name="dates" select="$docs ! f:iso(f:doc-date(.))[. ne '']"/>
      <p class="tp-range">
        <xsl:value-of select="count($docs)"/> document<xsl:if test="count($docs) ne 1">s</xsl:if>
        <xsl:if test="exists($dates)">
          <xsl:text>, </xsl:text><xsl:value-of select="f:date-of(min($dates ! substring(., 1, 10)))"/>
          <xsl:if test="count(distinct-values($dates)) gt 1"> – <xsl:value-of select="f:date-of(max($dates ! substring(., 1, 10)))"/></xsl:if>
        </xsl:if>
      </p>
      <div class="tp-colophon">
        <xsl:if test="$edition-publisher or $f:edition-date">
          <p class="tp-imprint"><xsl:value-of select="string-join(($edition-publisher, $f:edition-date)[. ne ''], ', ')"/></p>
        </xsl:if>
        <xsl:variable name="contacts" select="for $i in 1 to count($f:editors) return
            (if ($f:editor-emails[$i]) then $f:editors[$i] || ' &lt;' || $f:editor-emails[$i] || '&gt;' else ())"/>
        <xsl:if test="exists($contacts)"><p class="tp-contact"><span class="url"><xsl:value-of select="string-join($contacts, ', ')"/></span></p></xsl:if>
        <!-- The licence: the settings', else the one every document points at (its words
             as the first document gives them). -->
        <xsl:variable name="doc-licence" select="$docs ! (tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence)[1]"/>
        <xsl:variable name="doc-licence-urls" select="distinct-values($doc-licence/@target ! normalize-space(.))"/>
        <xsl:choose>
          <xsl:when test="$edition-licence or $edition-licence-url">
            <p class="tp-licence">Licence: <xsl:value-of select="$edition-licence"/>
              <xsl:if test="$edition-licence-url"><xsl:if test="$edition-licence">, </xsl:if><span class="url"><xsl:value-of select="$edition-licence-url"/></span></xsl:if></p>
          </xsl:when>
          <xsl:when test="count($doc-licence) eq count($docs) and count($doc-licence-urls) eq 1">
            <p class="tp-licence"><xsl:value-of select="normalize-space($doc-licence[1])"/>
              <xsl:text> </xsl:text><span class="url"><xsl:value-of select="$doc-licence-urls"/></span></p>
          </xsl:when>
        </xsl:choose>
        <xsl:if test="$edition-base-url"><p class="tp-url">Online: <span class="url"><xsl:value-of select="$edition-base-url"/></span></p></xsl:if>
        <p>Encoded and typeset with teipipe from the archive's records. The TEI files are the
        edition of record; this book is generated from them by XSLT 3.0 and CSS paged media.</p>
      </div>
    </section>
  </xsl:template>

  <xsl:function name="f:date-of" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:sequence select="if ($iso castable as xs:date) then format-date(xs:date($iso), '[D] [MNn] [Y]') else string($iso)"/>
  </xsl:function>

  <xsl:template name="toc">
    <nav class="toc" aria-label="Contents">
      <h1 class="front-h">Contents</h1>
      <ol>
        <xsl:for-each select="$docs">
          <li>
            <a href="#{f:chapter-id(.)}">
              <span class="toc-no"><xsl:value-of select="position()"/></span>
              <span class="toc-title"><xsl:value-of select="f:title(.)"/>
                <span class="toc-date"><xsl:value-of select="f:date(f:doc-date(.))"/></span></span>
            </a>
          </li>
        </xsl:for-each>
        <li class="toc-index"><a href="#person-index-h"><span class="toc-no"/><span class="toc-title">Index of persons</span></a></li>
      </ol>
    </nav>
  </xsl:template>

  <xsl:function name="f:chapter-id" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="'ch-' || f:doc-id($tei)"/>
  </xsl:function>

  <!-- ===== One telegram: a chapter ===== -->
  <xsl:template match="tei:TEI" mode="chapter">
    <xsl:param name="no" as="xs:integer?" select="()"/>
    <xsl:variable name="h" select="tei:teiHeader"/>
    <article class="chapter">
      <!-- The document's language (WeasyPrint hyphenates by lang); its versions carry their own. -->
      <xsl:for-each select="(@xml:lang, tei:text/@xml:lang)[1]"><xsl:attribute name="lang" select="."/></xsl:for-each>
      <header>
        <p class="ch-kicker">
          <xsl:if test="exists($no)"><span class="ch-no"><xsl:value-of select="$no"/></span></xsl:if>
          <xsl:value-of select="f:date(f:doc-date(.))"/>
        </p>
        <h1 class="ch-title" id="{f:chapter-id(.)}"><xsl:value-of select="f:title(.)"/></h1>
        <p class="ch-running" aria-hidden="true"><xsl:value-of select="string-join((
            (if (exists($no)) then string($no) else ()), f:short-title(.)), '. ')"/></p>
      </header>
      <table class="ch-meta">
        <tbody>
          <xsl:for-each select="f:messages(.)">
            <xsl:variable name="q" select="if (position() gt 1) then ' (quoted)' else ''"/>
            <xsl:for-each select="tei:correspAction">
              <tr>
                <th scope="row"><xsl:value-of select="(if (@subtype = 'cc') then 'Copies' else if (@type = 'sent') then 'From'
                    else if (@type = 'received') then 'To' else if (@type = 'transmitted') then 'Via' else 'Action') || $q"/></th>
                <td><xsl:value-of select="string-join((
                    string-join((tei:persName | tei:orgName | tei:name) ! (if (../@subtype = 'cc') then f:short-name(.) else f:display-name(.)), ', '),
                    string-join(tei:placeName ! f:display-name(.), ', '), tei:note ! ('(' || normalize-space(.) || ')'), tei:date ! f:date(.))[. ne ''], ' · ')"/></td>
              </tr>
            </xsl:for-each>
          </xsl:for-each>
          <xsl:for-each select="$h/tei:fileDesc/tei:sourceDesc//tei:msDesc">
            <tr><th scope="row">Archive</th><td><xsl:value-of select="f:holding(.)"/></td></tr>
          </xsl:for-each>
          <tr><th scope="row">TEI</th><td><xsl:value-of select="f:doc-id(.)"/>
            <xsl:for-each select="$h/tei:fileDesc/tei:publicationStmt/tei:idno[@type = 'URI'][1]"> · <span class="url"><xsl:value-of select="normalize-space(.)"/></span></xsl:for-each></td></tr>
        </tbody>
      </table>
      <xsl:for-each select="$h/tei:profileDesc/tei:abstract">
        <div class="abstract"><xsl:apply-templates/></div>
      </xsl:for-each>
      <xsl:for-each select="tei:text/tei:body/tei:div[@type = ('original', 'translation')]">
        <section class="version {@type}">
          <xsl:call-template name="attrs"/>
          <h2 class="version-h" lang="en"><xsl:value-of select="if (@type = 'original') then 'Original' else 'Translation'"/>
            <xsl:if test="@xml:lang"> (<xsl:value-of select="f:language(.)"/>)</xsl:if></h2>
          <xsl:apply-templates/>
        </section>
      </xsl:for-each>
      <xsl:apply-templates select="tei:text[not(tei:body/tei:div[@type = ('original', 'translation')])]"/>
    </article>
  </xsl:template>

  <!-- The first mention of each person in each chapter is an anchor the index points at;
       its id is made from the document and person ids (generate-id() would differ between runs). -->
  <!-- Mentions by document and person, so that the book stays linear in the corpus. -->
  <xsl:key name="mention" match="tei:text//*[@ref]"
      use="f:doc-id(ancestor::tei:TEI[1]) || ' ' || f:local-ref(@ref)"/>
  <xsl:key name="head-mention" match="tei:correspDesc//*[@ref]"
      use="f:doc-id(ancestor::tei:TEI[1]) || ' ' || f:local-ref(@ref)"/>
  <xsl:function name="f:mention-id" as="xs:string?">
    <xsl:param name="m" as="element()"/>
    <xsl:variable name="ref" select="f:local-ref($m/@ref)"/>
    <xsl:variable name="doc" select="f:doc-id($m/ancestor::tei:TEI[1])"/>
    <xsl:sequence select="if ($ref and $m is key('mention', $doc || ' ' || $ref, root($m))[1])
        then 'm-' || $doc || '-' || $ref else ()"/>
  </xsl:function>

  <xsl:function name="f:short-title" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="t" select="f:title($tei)"/>
    <xsl:sequence select="if (string-length($t) le 70) then $t else replace(substring($t, 1, 68), '\s+\S*$', '') || ' …'"/>
  </xsl:function>

  <!-- ===== What differs from the site ===== -->
  <!-- Footnotes float to the foot of the page. -->
  <xsl:template match="tei:note">
    <xsl:choose>
      <xsl:when test="f:is-footnote(.)">
        <span class="fn"><xsl:call-template name="note-lang"/><xsl:value-of select="f:note-label(.)"/><xsl:apply-templates/>
          <xsl:value-of select="f:signature(.)"/></span>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template name="footnotes"/>

  <!-- Names are anchors the person index points at, not links to web pages. -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:geogName">
    <span class="{f:classes(., ())}"><xsl:for-each select="f:mention-id(.)"><xsl:attribute name="id" select="."/></xsl:for-each><xsl:call-template name="attrs-lang"/><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template name="attrs-lang">
    <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
  </xsl:template>
  <xsl:template match="tei:ref | tei:ptr">
    <xsl:variable name="t" select="tokenize(normalize-space(@target), ' ')[1]"/>
    <span class="ref{if (matches(normalize-space(.), '^[a-z]+://') or self::tei:ptr and matches($t, '^[a-z]+:')) then ' url' else ''}">
      <xsl:apply-templates/><xsl:if test="self::tei:ptr"><xsl:value-of select="$t"/></xsl:if></span>
  </xsl:template>

  <!-- An address in running text is one unhyphenated word (print.css, .url): a hyphen the
       layout added would read as part of it. -->
  <xsl:template match="tei:text//text()[contains(., '://')][not(ancestor::tei:ref or ancestor::tei:ptr)]">
    <xsl:analyze-string select="." regex="(https?|ftp)://[^\s&lt;&gt;&quot;]*[^\s&lt;&gt;&quot;.,;:!?)\]]">
      <xsl:matching-substring><span class="url"><xsl:value-of select="."/></span></xsl:matching-substring>
      <xsl:non-matching-substring><xsl:value-of select="."/></xsl:non-matching-substring>
    </xsl:analyze-string>
  </xsl:template>

  <!-- ===== The person index: every person, the pages of the chapters naming them ===== -->
  <xsl:template name="person-index">
    <xsl:variable name="persons" as="element(tei:person)*">
      <xsl:for-each-group select="$docs/tei:standOff//tei:person | $docs/tei:teiHeader//tei:particDesc//tei:person"
          group-by="string(@xml:id)">
        <xsl:sequence select="current-group()[1]"/>
      </xsl:for-each-group>
    </xsl:variable>
    <section class="person-index" id="person-index">
      <h1 class="front-h" id="person-index-h">Index of persons</h1>
      <p class="index-note">Page numbers point to the first mention in each document, in the text or its metadata; italics mark cover names.</p>
      <ul>
        <xsl:for-each select="$persons">
          <xsl:sort select="lower-case(f:reg-name(.))"/>
          <xsl:variable name="id" select="string(@xml:id)"/>
          <xsl:variable name="hits" as="element()*">
            <xsl:for-each select="$docs">
              <xsl:variable name="key" select="f:doc-id(.) || ' ' || $id"/>
              <xsl:variable name="m" select="key('mention', $key, $root)[1]"/>
              <xsl:choose>
                <xsl:when test="$m"><xsl:sequence select="$m"/></xsl:when>
                <xsl:when test="exists(key('head-mention', $key, $root))"><xsl:sequence select="."/></xsl:when>
              </xsl:choose>
            </xsl:for-each>
          </xsl:variable>
          <xsl:if test="exists($hits)">
            <li>
              <span class="ix-name"><xsl:value-of select="f:reg-name(.)"/></span>
              <!-- The name in the scripts of the sources (Cyrillic, Hangul, Chinese characters). -->
              <xsl:variable name="scripts" select="tei:persName[@xml:lang and not(@xml:lang = 'en')][not(@type = 'pseudonym')]"/>
              <xsl:if test="$scripts">
                <xsl:text> </xsl:text>
                <span class="ix-forms">
                  <xsl:for-each select="$scripts">
                    <xsl:if test="position() gt 1"> · </xsl:if>
                    <span lang="{@xml:lang}"><xsl:value-of select="normalize-space(.)"/></span>
                  </xsl:for-each>
                </span>
              </xsl:if>
              <xsl:variable name="pseud" select="tei:persName[@type = 'pseudonym']"/>
              <xsl:if test="$pseud"><xsl:text> (</xsl:text><em><xsl:value-of select="string-join($pseud ! normalize-space(.), ', ')"/></em>)</xsl:if>
              <xsl:for-each select="(tei:occupation, tei:roleName, tei:note)[1]">, <span class="ix-role"><xsl:value-of select="normalize-space(.)"/></span></xsl:for-each>
              <span class="ix-pages">
                <xsl:for-each select="$hits">
                  <a class="pageref" href="#{if (self::tei:TEI) then f:chapter-id(.) else f:mention-id(.)}"/>
                </xsl:for-each>
              </span>
            </li>
          </xsl:if>
        </xsl:for-each>
      </ul>
    </section>
  </xsl:template>
</xsl:stylesheet>
