<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI text -> HTML5, the reading text: shared by html.xsl (the site) and print.xsl
  (the book). The editorial brackets the converter encoded by meaning are rendered
  back as brackets, so the reader sees what the archive printed:
    gap -> […]   abbr+expan -> VVS [air force]   note[@type=gloss] -> [Stalin]
    supplied -> [territory]   sic -> was [sic]   other notes -> footnotes.
  Elements this module does not know fall back to their text (block or inline by
  their content), so any colleague's TEI still reads.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:teipipe:functions"
    xmlns="http://www.w3.org/1999/xhtml"
    exclude-result-prefixes="#all">

  <xsl:import href="common.xsl"/>

  <!-- Where the site's root is, seen from the page being written ('' or '../'). -->
  <xsl:param name="root" as="xs:string" select="''"/>

  <!-- The href of the index page of a person, place or org entry ('' = no link). -->
  <xsl:function name="f:entry-href" as="xs:string">
    <xsl:param name="e" as="element()?"/>
    <xsl:sequence select="
      if (not($e)) then ''
      else if ($e/self::tei:person) then $root || 'persons/' || $e/@xml:id || '.html'
      else if ($e/self::tei:place) then $root || 'places/' || $e/@xml:id || '.html'
      else ''"/>
  </xsl:function>

  <!-- lang and id travel with every element that becomes HTML. -->
  <xsl:template name="attrs">
    <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
    <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
  </xsl:template>

  <xsl:function name="f:classes" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="extra" as="xs:string*"/>
    <xsl:sequence select="string-join(distinct-values(($extra, local-name($e), $e/@type ! ('t-' || .),
        for $r in tokenize($e/@rendition, '\s+')[. ne ''] return 'r-' || replace($r, '^#', ''),
        for $r in tokenize($e/@rend, '\s+')[. ne ''] return 'rend-' || $r)), ' ')"/>
  </xsl:function>

  <!-- ===== Blocks ===== -->

  <xsl:template match="tei:teiHeader | tei:standOff | tei:facsimile | tei:sourceDoc"/>

  <xsl:template match="tei:text | tei:group | tei:front | tei:back | tei:body">
    <div class="{f:classes(., ())}"><xsl:call-template name="attrs"/><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:lg[tei:lg]">
    <section class="{f:classes(., 'tei-div')}"><xsl:call-template name="attrs"/><xsl:apply-templates/></section>
  </xsl:template>

  <xsl:template match="tei:head">
    <xsl:variable name="depth" select="min((count(ancestor::*[self::tei:div or starts-with(local-name(), 'div')
        or self::tei:floatingText or self::tei:lg or self::tei:list or self::tei:table]) + 2, 6))"/>
    <xsl:element name="{if (parent::tei:list or parent::tei:table or parent::tei:figure) then 'p' else 'h' || $depth}">
      <xsl:attribute name="class" select="f:classes(., ())"/>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab | tei:dateline | tei:salute | tei:signed | tei:byline | tei:docAuthor
      | tei:docDate | tei:trailer | tei:argument | tei:epigraph | tei:postscript | tei:address">
    <xsl:element name="{if (.//(tei:p | tei:ab | tei:list | tei:table | tei:lg | tei:quote[tei:floatingText or tei:p])
        or self::tei:postscript or self::tei:argument or self::tei:epigraph) then 'div' else 'p'}">
      <xsl:attribute name="class" select="f:classes(., ())"/>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:sp | tei:lg | tei:titlePage | tei:div[@type = 'header']">
    <div class="{f:classes(., ())}"><xsl:call-template name="attrs"/><xsl:apply-templates/></div>
  </xsl:template>

  <!-- ===== Drama and verse ===== -->
  <!-- A verse line stands on a line of its own (a run of spans read as prose); every fifth
       numbered line shows its number in the margin, as printed editions of plays do. -->
  <xsl:template match="tei:l">
    <div class="{f:classes(., ())}"><xsl:call-template name="attrs"/>
      <!-- "3.2.265" (act.scene.line, as Folger and DraCor number Shakespeare) counts by its last part. -->
      <xsl:variable name="n" select="replace(string(@n), '^.*[^0-9]', '')"/>
      <xsl:if test="matches($n, '^[0-9]{1,6}$') and xs:integer($n) mod 5 = 0">
        <span class="lineno" aria-hidden="true"><xsl:value-of select="$n"/></span><xsl:text> </xsl:text>
      </xsl:if>
      <xsl:apply-templates/></div>
  </xsl:template>

  <!-- The speaker is a label above the speech, not a line of it. -->
  <xsl:template match="tei:speaker">
    <p class="{f:classes(., ())}"><xsl:call-template name="attrs"/><strong><xsl:apply-templates/></strong>
      <xsl:for-each select="following-sibling::*[1][f:is-delivery(.)]">
        <em class="{f:classes(., ())}"><xsl:call-template name="attrs"/><xsl:apply-templates/></em>
      </xsl:for-each>
    </p>
  </xsl:template>
  <!-- ", to Hermia" after a speaker (Folger's and DraCor's Shakespeare) reads with the speaker's name. -->
  <xsl:template match="tei:stage[f:is-delivery(.)]" priority="2"/>

  <!-- A stage direction inside a verse line or a paragraph ("(to Getas)") belongs where it is
       said; only one standing between speeches is a block of its own. -->
  <xsl:template match="tei:stage">
    <xsl:choose>
      <xsl:when test="parent::tei:l or parent::tei:p or parent::tei:ab or parent::tei:seg or parent::tei:speaker
          or ../text()[normalize-space()]">
        <em class="{f:classes(., ())}"><xsl:call-template name="attrs"/><xsl:apply-templates/></em>
      </xsl:when>
      <xsl:otherwise>
        <p class="{f:classes(., ())}"><xsl:call-template name="attrs"/><em><xsl:apply-templates/></em></p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The cast list: one item per role, its description after it. -->
  <xsl:template match="tei:castList | tei:castGroup">
    <xsl:apply-templates select="tei:head"/>
    <ul class="{f:classes(., ())}"><xsl:call-template name="attrs"/>
      <xsl:for-each select="* except tei:head">
        <li><xsl:apply-templates select="."/></li>
      </xsl:for-each>
    </ul>
  </xsl:template>
  <xsl:template match="tei:castItem">
    <span class="{f:classes(., ())}"><xsl:call-template name="attrs"/><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:castGroup/tei:head | tei:castList/tei:head" priority="2">
    <p class="{f:classes(., ())}"><xsl:apply-templates/></p>
  </xsl:template>
  <xsl:template match="tei:role">
    <strong class="{f:classes(., ())}"><xsl:call-template name="attrs"/><xsl:apply-templates/></strong>
  </xsl:template>
  <xsl:template match="tei:roleDesc">
    <xsl:if test="preceding-sibling::tei:role"><xsl:text>, </xsl:text></xsl:if>
    <span class="{f:classes(., ())}"><xsl:call-template name="attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <!-- ===== Inscriptions (EpiDoc) ===== -->
  <!-- Edition, translation, commentary: each headed by what it is and its language. -->
  <xsl:template match="tei:div[f:is-epidoc-div(.)]" priority="2">
    <xsl:variable name="lang" select="f:version-lang(.)"/>
    <section class="{f:classes(., ('tei-div', 'epidoc'))}"><xsl:call-template name="attrs"/>
      <xsl:if test="not(tei:head)">
        <h2 class="version-h" lang="en">
          <xsl:value-of select="upper-case(substring(@type, 1, 1)) || substring(@type, 2)"/>
          <xsl:if test="@subtype"><xsl:value-of select="', ' || replace(@subtype, '-', ' ')"/></xsl:if>
          <xsl:if test="$lang ne ''"> (<xsl:value-of select="$lang"/>)</xsl:if>
        </h2>
      </xsl:if>
      <xsl:apply-templates/>
    </section>
  </xsl:template>

  <!-- Leiden: letters the editor expands stand in parentheses, abbreviation marks are not
       printed in the expanded text, words stay words (w, expan, abbr are inline). -->
  <xsl:template match="tei:ex">
    <span class="ex">(<xsl:apply-templates/>)</span>
  </xsl:template>
  <xsl:template match="tei:expan//tei:am | tei:choice/tei:abbr//tei:am" priority="2"/>
  <xsl:template match="tei:w | tei:am | tei:g | tei:c | tei:pc">
    <span class="{f:classes(., ())}"><xsl:call-template name="attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <!-- A numbered point keeps the archive's own number ("1.", "a)"). -->
  <xsl:template match="tei:list">
    <xsl:apply-templates select="tei:head"/>
    <xsl:element name="{if (@type = ('numbered', 'ordered') or tei:item/@n) then 'ol' else 'ul'}">
      <xsl:attribute name="class" select="f:classes(., ())"/>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates select="node() except tei:head"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:item">
    <li class="{f:classes(., ())}">
      <xsl:call-template name="attrs"/>
      <xsl:if test="@n and not(starts-with(normalize-space(.), @n))">
        <span class="n"><xsl:value-of select="@n"/><xsl:if test="matches(@n, '^[0-9]+$')">.</xsl:if></span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:apply-templates/>
    </li>
  </xsl:template>

  <xsl:template match="tei:list/tei:label">
    <li class="label"><xsl:apply-templates/></li>
  </xsl:template>

  <xsl:template match="tei:listBibl | tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent">
    <ul class="{f:classes(., ())}"><xsl:for-each select="*[not(self::tei:head)]"><li><xsl:apply-templates select="."/></li></xsl:for-each></ul>
  </xsl:template>

  <!-- A quoted telegram: a block quotation holding its own opener, text and closer. -->
  <xsl:template match="tei:quote[tei:floatingText or tei:p or tei:ab or tei:lg or tei:list]">
    <blockquote class="{f:classes(., ())}"><xsl:call-template name="attrs"/><xsl:apply-templates/></blockquote>
  </xsl:template>

  <xsl:template match="tei:floatingText">
    <div class="{f:classes(., ())}"><xsl:call-template name="attrs"/><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="tei:table">
    <table class="{f:classes(., ())}"><xsl:call-template name="attrs"/>
      <xsl:if test="tei:head"><caption><xsl:apply-templates select="tei:head/node()"/></caption></xsl:if>
      <tbody><xsl:apply-templates select="tei:row"/></tbody>
    </table>
  </xsl:template>
  <xsl:template match="tei:row"><tr><xsl:apply-templates/></tr></xsl:template>
  <xsl:template match="tei:cell">
    <xsl:element name="{if (@role = 'label' or parent::tei:row/@role = 'label') then 'th' else 'td'}">
      <xsl:if test="@cols"><xsl:attribute name="colspan" select="@cols"/></xsl:if>
      <xsl:if test="@rows"><xsl:attribute name="rowspan" select="@rows"/></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- Images are not fetched (a page makes no network requests): the figure shows its caption. -->
  <xsl:template match="tei:figure">
    <figure class="{f:classes(., ())}"><xsl:call-template name="attrs"/>
      <xsl:apply-templates select="* except (tei:head, tei:graphic, tei:figDesc)"/>
      <figcaption><xsl:apply-templates select="tei:head/node()"/>
        <xsl:if test="tei:figDesc"><xsl:text> </xsl:text><xsl:apply-templates select="tei:figDesc/node()"/></xsl:if>
        <xsl:if test="not(tei:head | tei:figDesc)">[figure]</xsl:if>
      </figcaption>
    </figure>
  </xsl:template>
  <xsl:template match="tei:graphic | tei:media | tei:binaryObject"/>

  <!-- Form furniture of the original: printed form text, catchwords, sheet headers. -->
  <xsl:template match="tei:fw">
    <xsl:element name="{if (parent::tei:p or parent::tei:ab or parent::tei:l or parent::tei:item or parent::tei:seg) then 'span' else 'p'}">
      <xsl:attribute name="class" select="f:classes(., 'fw')"/>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- A sheet (telegram) or page (book, play) break of the original: a quiet marker in the margin. -->
  <xsl:template match="tei:pb">
    <xsl:variable name="unit" select="f:pb-unit(.)"/>
    <span class="pb" role="note">
      <xsl:attribute name="aria-label" select="$unit || ' ' || (@n, '')[1]"/>
      <xsl:text>[</xsl:text><xsl:value-of select="if (@n) then $unit || ' ' || @n else $unit || ' break'"/><xsl:text>]</xsl:text>
    </span>
  </xsl:template>
  <xsl:template match="tei:lb">
    <xsl:if test="not(@break = 'no')"><br/></xsl:if>
  </xsl:template>
  <!-- An inscription's lines: every fifth numbered line shows its number, as EpiDoc editions do.
       A line that continues a word (break="no") joins it: the word is not cut in two. -->
  <xsl:template match="tei:div[@type = 'edition']//tei:lb[not(@break = 'no')]" priority="2">
    <xsl:if test="preceding::node()[ancestor::tei:div[@type = 'edition']][normalize-space()]
        [ancestor::tei:div[@type = 'edition'][1] is current()/ancestor::tei:div[@type = 'edition'][1]]"><br/></xsl:if>
    <xsl:if test="@n and matches(@n, '^[0-9]+$') and xs:integer(@n) mod 5 = 0">
      <span class="lineno" aria-hidden="true"><xsl:value-of select="@n"/></span><xsl:text> </xsl:text>
    </xsl:if>
  </xsl:template>
  <xsl:template match="text()[following-sibling::node()[1][self::tei:lb[@break = 'no']]
      or preceding-sibling::node()[1][self::tei:lb[@break = 'no']]]">
    <xsl:variable name="t" select="if (following-sibling::node()[1][self::tei:lb[@break = 'no']]) then replace(., '\s+$', '') else string(.)"/>
    <xsl:value-of select="if (preceding-sibling::node()[1][self::tei:lb[@break = 'no']]) then replace($t, '^\s+', '') else $t"/>
  </xsl:template>
  <xsl:template match="tei:cb | tei:milestone | tei:anchor | tei:gb | tei:link | tei:linkGrp | tei:interpGrp | tei:spanGrp | tei:timeline | tei:certainty | tei:precision"/>

  <!-- The transmission header's segments: number, urgency, classification stand on their own lines. -->
  <xsl:template match="tei:opener/tei:seg[@type] | tei:div/tei:seg[@type]">
    <p class="{f:classes(., ())}"><xsl:call-template name="attrs"/><xsl:apply-templates/></p>
  </xsl:template>

  <!-- ===== Names, dates, numbers ===== -->

  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:geogName">
    <xsl:variable name="e" select="f:entry(.)"/>
    <xsl:variable name="href" select="f:entry-href($e)"/>
    <xsl:variable name="title" select="if ($e) then f:reg-name($e) || ($e/(tei:occupation, tei:roleName, tei:note)[1] ! (' — ' || normalize-space(.))) else ()"/>
    <xsl:choose>
      <xsl:when test="$href">
        <a href="{$href}" class="{f:classes(., ())}" title="{$title}"><xsl:call-template name="attrs"/><xsl:apply-templates/></a>
      </xsl:when>
      <xsl:otherwise>
        <span class="{f:classes(., ())}"><xsl:if test="$title"><xsl:attribute name="title" select="$title"/></xsl:if><xsl:call-template name="attrs"/><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:date | tei:time">
    <xsl:variable name="w" select="string((@when, @from, @notBefore)[1])"/>
    <xsl:choose>
      <xsl:when test="$w ne ''">
        <time datetime="{$w}" class="{f:classes(., ())}">
          <xsl:attribute name="title" select="f:date(.) || (if (@cert) then ' (' || @cert || ' certainty)' else '')"/>
          <xsl:apply-templates/></time>
      </xsl:when>
      <xsl:otherwise><span class="{f:classes(., ())}"><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:hi | tei:emph | tei:foreign | tei:term | tei:mentioned | tei:soCalled | tei:title
      | tei:seg | tei:num | tei:measure | tei:stamp | tei:q | tei:said | tei:quote | tei:cit | tei:bibl | tei:label
      | tei:roleName | tei:forename | tei:surname | tei:addName | tei:idno | tei:signatures">
    <xsl:variable name="r" select="string-join((@rend, @rendition), ' ')"/>
    <xsl:element name="{
        if (self::tei:emph or self::tei:foreign or self::tei:title[@level = ('m', 'j')] or self::tei:soCalled or self::tei:mentioned
            or matches($r, 'italic|md-italic')) then 'em'
        else if (matches($r, 'bold|md-bold')) then 'strong'
        else if (self::tei:stamp) then 'span'
        else if (self::tei:quote or self::tei:q) then 'q'
        else 'span'}">
      <xsl:attribute name="class" select="f:classes(., ())"/>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:ref | tei:ptr">
    <xsl:variable name="t" select="tokenize(normalize-space(@target), ' ')[1]"/>
    <xsl:choose>
      <xsl:when test="matches($t, '^(https?:|mailto:|#)')">
        <a href="{$t}" class="{local-name()}"><xsl:apply-templates/><xsl:if test="self::tei:ptr"><xsl:value-of select="$t"/></xsl:if></a>
      </xsl:when>
      <xsl:otherwise><span class="{local-name()}"><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== Editorial brackets, rendered back ===== -->

  <!-- Lost letters of known number are dots in Leiden: [. . .]; an unknown extent is […]. -->
  <xsl:template match="tei:gap[@unit = 'character'][@quantity castable as xs:integer][xs:integer(@quantity) le 20]" priority="2">
    <span class="gap" title="{@quantity || ' letters ' || (@reason, 'missing')[1]}">[<xsl:value-of select="string-join(for $i in 1 to xs:integer(@quantity) return '.', ' ')"/>]</span>
  </xsl:template>
  <!-- A gap the editor described ("desunt uersus fere iv") keeps the description beside […]. -->
  <xsl:template match="tei:gap[tei:desc[normalize-space()]]" priority="3">
    <span class="gap">[…] <span class="desc"><xsl:apply-templates select="tei:desc/node()"/></span></span>
  </xsl:template>
  <xsl:template match="tei:gap">
    <span class="gap" title="{string-join(('text omitted', @reason ! ('(' || . || ')')), ' ')}">[…]</span>
  </xsl:template>

  <xsl:template match="tei:choice[tei:abbr and tei:expan]">
    <abbr title="{normalize-space(tei:expan)}"><xsl:apply-templates select="tei:abbr/node()"/></abbr>
    <xsl:text> </xsl:text>
    <span class="expan">[<xsl:apply-templates select="tei:expan/node()"/>]</span>
  </xsl:template>
  <xsl:template match="tei:choice[tei:sic and tei:corr]">
    <span class="corr" title="{'the source reads: ' || normalize-space(tei:sic)}"><xsl:apply-templates select="tei:corr/node()"/></span>
  </xsl:template>
  <xsl:template match="tei:choice[tei:orig and tei:reg]">
    <span class="reg" title="{'the source reads: ' || normalize-space(tei:orig)}"><xsl:apply-templates select="tei:reg/node()"/></span>
  </xsl:template>
  <xsl:template match="tei:choice">
    <xsl:apply-templates select="*[1]"/>
  </xsl:template>
  <xsl:template match="tei:abbr | tei:expan | tei:orig | tei:reg | tei:corr | tei:add | tei:unclear | tei:damage | tei:restore | tei:subst | tei:handShift">
    <span class="{f:classes(., ())}"><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:del | tei:surplus">
    <del class="{f:classes(., ())}"><xsl:apply-templates/></del>
  </xsl:template>
  <xsl:template match="tei:sic">
    <span class="sic"><xsl:apply-templates/><xsl:text> </xsl:text><span class="bracket">[sic]</span></span>
  </xsl:template>
  <xsl:template match="tei:supplied">
    <span class="supplied" title="supplied by the translator or editor">[<xsl:apply-templates/>]</span>
  </xsl:template>
  <!-- Apparatus: the lemma reads in the text with a call to its entry; the entry (mode
       apparatus, after the notes) gives lemma] readings and their witnesses, as a critical
       edition prints them at the foot of the page. -->
  <xsl:template match="tei:app">
    <xsl:variable name="no" select="f:app-no(.)"/>
    <xsl:apply-templates select="(descendant::tei:lem[ancestor::tei:app[1] is current()], tei:rdg)[1]"/>
    <sup class="appref"><a href="#app{$no}" id="appref{$no}" role="doc-noteref" title="apparatus">·<xsl:value-of select="$no"/></a></sup>
  </xsl:template>
  <xsl:template match="tei:lem | tei:rdg"><span class="{local-name()}"><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="tei:app" mode="apparatus">
    <xsl:variable name="no" select="f:app-no(.)"/>
    <xsl:variable name="lem" select="descendant::tei:lem[ancestor::tei:app[1] is current()][1]"/>
    <li id="app{$no}" value="{$no}">
      <xsl:call-template name="note-lang"/>
      <span class="lem"><xsl:choose>
        <xsl:when test="$lem[normalize-space()]"><xsl:apply-templates select="$lem/node()"/></xsl:when>
        <xsl:otherwise>—</xsl:otherwise></xsl:choose></span>
      <xsl:if test="$lem/@wit"><xsl:text> </xsl:text><span class="wit"><xsl:value-of select="f:wits($lem)"/></span></xsl:if>
      <xsl:text>] </xsl:text>
      <xsl:for-each select="descendant::tei:rdg[ancestor::tei:app[1] is current()]">
        <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
        <span class="rdg"><xsl:choose>
          <xsl:when test="normalize-space()"><xsl:apply-templates/></xsl:when>
          <xsl:otherwise><em lang="la">om.</em></xsl:otherwise></xsl:choose></span>
        <xsl:if test="@wit or @source"><xsl:text> </xsl:text><span class="wit"><xsl:value-of select="f:wits(.)"/></span></xsl:if>
      </xsl:for-each>
      <xsl:for-each select="tei:note">
        <xsl:text> </xsl:text><span class="app-note"><xsl:apply-templates/></span>
      </xsl:for-each>
      <xsl:text> </xsl:text>
      <a href="#appref{$no}" class="fnback" aria-label="back to the text">↩</a>
    </li>
  </xsl:template>
  <!-- Notes inside an entry are printed with the entry, not as footnotes of their own. -->
  <xsl:template match="tei:app/tei:note | tei:rdgGrp/tei:note" priority="2"/>

  <!-- Index entries: invisible in the reading text (an anchor where the term was indexed),
       gathered as an index of terms after the notes. -->
  <xsl:template match="tei:index">
    <a class="index-anchor" id="idx{count(preceding::tei:index) + 1}"/>
  </xsl:template>
  <xsl:template name="index-of-terms">
    <xsl:param name="text" as="element()*"/>
    <xsl:variable name="entries" select="$text//tei:index[not(ancestor::tei:index)]"/>
    <xsl:if test="$entries">
      <section class="index-terms" aria-labelledby="index-h">
        <h2 id="index-h">Index</h2>
        <ul>
          <xsl:for-each-group select="$entries" group-by="normalize-space(string-join(tei:term[1]//text(), ''))">
            <xsl:sort select="lower-case(current-grouping-key())"/>
            <li>
              <xsl:if test="@indexName"><xsl:attribute name="data-index" select="@indexName"/></xsl:if>
              <span class="term"><xsl:value-of select="current-grouping-key()"/></span>
              <xsl:for-each select="current-group()">
                <xsl:text> </xsl:text><a href="#idx{count(preceding::tei:index) + 1}">↑</a>
              </xsl:for-each>
              <xsl:variable name="sub" select="distinct-values(current-group()/tei:index/tei:term ! normalize-space())"/>
              <xsl:if test="exists($sub)">
                <ul><xsl:for-each select="$sub"><li><span class="term"><xsl:value-of select="."/></span></li></xsl:for-each></ul>
              </xsl:if>
            </li>
          </xsl:for-each-group>
        </ul>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- A name's identity, printed in the archive's brackets: "Filippov [Stalin]". -->
  <xsl:template match="tei:note[@type = 'gloss']">
    <xsl:if test="not(matches(string(preceding-sibling::node()[1][self::text()]), '\s$'))"><xsl:text> </xsl:text></xsl:if>
    <span class="gloss">[<xsl:apply-templates/>]</span>
  </xsl:template>
  <xsl:template match="tei:note[@type = 'sic']">
    <span class="bracket">[<xsl:apply-templates/>]</span>
  </xsl:template>

  <!-- Every other note: a footnote call here, the note itself at the foot (mode footnote). -->
  <xsl:template match="tei:note">
    <xsl:choose>
      <xsl:when test="f:is-footnote(.)">
        <xsl:variable name="no" select="f:note-no(.)"/>
        <sup class="fnref"><a href="#fn{$no}" id="fnref{$no}" role="doc-noteref"><xsl:value-of select="$no"/></a></sup>
      </xsl:when>
      <xsl:otherwise><span class="note">[<xsl:apply-templates/>]</span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:note" mode="footnote">
    <xsl:variable name="no" select="f:note-no(.)"/>
    <li id="fn{$no}" value="{$no}">
      <xsl:call-template name="note-lang"/>
      <xsl:value-of select="f:note-label(.)"/>
      <xsl:apply-templates/>
      <xsl:if test="f:signature(.)"><xsl:text> — </xsl:text><span class="resp"><xsl:value-of select="f:resp(.)"/></span></xsl:if>
      <xsl:text> </xsl:text>
      <a href="#fnref{$no}" class="fnback" aria-label="back to the text">↩</a>
    </li>
  </xsl:template>

  <xsl:template name="note-lang">
    <xsl:variable name="l" select="ancestor-or-self::*[@xml:lang][1]/@xml:lang"/>
    <xsl:if test="$l"><xsl:attribute name="lang" select="$l"/></xsl:if>
  </xsl:template>

  <!-- The footnotes of a document, numbered as called in the text. -->
  <xsl:template name="footnotes">
    <xsl:param name="text" as="element()*"/>
    <xsl:variable name="notes" select="$text//tei:note[f:is-footnote(.)]"/>
    <xsl:if test="$notes">
      <section class="footnotes" role="doc-endnotes" aria-labelledby="notes-h">
        <h2 id="notes-h">Notes</h2>
        <ol><xsl:apply-templates select="$notes" mode="footnote"/></ol>
      </section>
    </xsl:if>
    <xsl:variable name="apps" select="$text//tei:app[not(ancestor::tei:teiHeader)]"/>
    <xsl:if test="$apps">
      <section class="apparatus" aria-labelledby="app-h">
        <h2 id="app-h">Apparatus</h2>
        <ol><xsl:apply-templates select="$apps" mode="apparatus"/></ol>
      </section>
    </xsl:if>
    <xsl:call-template name="index-of-terms"><xsl:with-param name="text" select="$text"/></xsl:call-template>
  </xsl:template>

  <!-- ===== Keeping the HTML valid ===== -->
  <!-- HTML allows no block inside a paragraph or a phrase, and a browser re-nests what breaks
       the rule. A colleague's TEI may have a p inside hi, a list inside a dateline: after the
       page is built, such blocks become spans shown as blocks (class blk). -->
  <xsl:variable name="phrasing-html" select="('p', 'span', 'a', 'em', 'strong', 'q', 'abbr', 'time', 'sup', 'del',
      'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dt')"/>
  <xsl:variable name="block-html" select="('div', 'p', 'ul', 'ol', 'li', 'section', 'blockquote', 'figure',
      'figcaption', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dl', 'dt', 'dd', 'table', 'tbody', 'tr', 'td', 'th', 'caption')"/>

  <xsl:template match="*" mode="valid">
    <xsl:choose>
      <xsl:when test="local-name() = $block-html and ancestor::*[local-name() = $phrasing-html]">
        <span class="{normalize-space(string-join((@class, 'blk', 'was-' || local-name()), ' '))}">
          <xsl:copy-of select="@id | @lang | @title"/>
          <xsl:apply-templates mode="valid"/>
        </span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:copy><xsl:copy-of select="@*"/><xsl:apply-templates mode="valid"/></xsl:copy>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="text() | comment() | processing-instruction()" mode="valid"><xsl:copy/></xsl:template>

  <!-- ===== The fallback: anyone's TEI still reads ===== -->
  <!-- An unknown element that only holds elements is a block; one holding text is inline. -->
  <xsl:template match="*">
    <!-- Inside a verse line, a word or a paragraph it is part of the line: inline too. -->
    <xsl:element name="{if (text()[normalize-space()] or not(*)
        or parent::*[self::tei:w or self::tei:l or self::tei:expan or self::tei:abbr or self::tei:seg or self::tei:name]) then 'span' else 'div'}">
      <xsl:attribute name="class" select="'tei-' || local-name()"/>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </xsl:element>
    <!-- Keeps words of neighbouring inline siblings apart (dictionary entries, metadata). -->
    <xsl:if test="not(text()[normalize-space()]) and following-sibling::node()[1][self::*]"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>
</xsl:stylesheet>
