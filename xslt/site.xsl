<?xml version="1.0" encoding="UTF-8"?>
<!--
  The corpus pages, from the document summaries (summary.xsl) gathered by pipeline/site.py:
    <corpus> <doc>* (sorted by date, then id; each <use key> names the entries it points at)
             <entries> <entry key> each distinct person/place/org entry ONCE </entries> </corpus>
    index.html             every telegram, chronological, filterable and sortable (assets/site.js)
    persons/index.html     every person, A-Z;  persons/<id>.html  who they were and every telegram
    places/index.html      every place;        places/<id>.html   every telegram
  All pages are written with xsl:result-document; Python only saves them.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:f="urn:teipipe:functions"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns="http://www.w3.org/1999/xhtml"
    exclude-result-prefixes="#all">

  <xsl:import href="html.xsl"/>
  <xsl:output name="page" method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <xsl:variable name="corpus" select="/"/>
  <!-- The edition's name on the corpus pages: the settings', else what the documents say
       (doc/@edition: another project's own title; none for this archive's records). -->
  <xsl:param name="site-title" as="xs:string" select="f:edition-title(/corpus/doc ! string(@edition))"/>
  <xsl:variable name="docs" as="element(doc)*">
    <xsl:perform-sort select="/corpus/doc">
      <xsl:sort select="@sort"/><xsl:sort select="@id"/>
    </xsl:perform-sort>
  </xsl:variable>

  <!-- The pages to write, as paths relative to the site ("index.html persons/stalin.html");
       empty: all of them. A rebuild passes only the pages a changed record appears on. -->
  <xsl:param name="pages" as="xs:string" select="''"/>
  <xsl:variable name="wanted" as="xs:string*" select="tokenize($pages)"/>
  <xsl:function name="f:wanted" as="xs:boolean">
    <xsl:param name="href" as="xs:string"/>
    <xsl:sequence select="empty($wanted) or $href = $wanted"/>
  </xsl:function>

  <!-- The first entry of each id, in the order of the sorted documents (the build keeps them so). -->
  <xsl:key name="entry" match="entries/entry/*" use="string(@xml:id)"/>
  <!-- Each entry's names as the index's filter searches them, lower-cased once per entry
       rather than once per telegram that names it. -->
  <xsl:variable name="entry-names" as="map(xs:string, xs:string)"
      select="map:merge(/corpus/entries/entry[*/(tei:persName | tei:placeName)]
                        ! map:entry(string(@key), lower-case(string-join(*/(tei:persName | tei:placeName), ' '))))"/>
  <!-- A key, not a filter over every document for every page: the pages cost what they list. -->
  <xsl:key name="mentioning" match="/corpus/doc" use="mention/@ref"/>

  <xsl:template match="/">
    <xsl:if test="f:wanted('index.html')"><xsl:call-template name="index"/></xsl:if>
    <xsl:if test="f:wanted('search.html')"><xsl:call-template name="search"/></xsl:if>
    <xsl:call-template name="entries"><xsl:with-param name="kind" select="'person'"/></xsl:call-template>
    <xsl:call-template name="entries"><xsl:with-param name="kind" select="'place'"/></xsl:call-template>
  </xsl:template>

  <!-- ===== The page shell ===== -->
  <xsl:template name="shell">
    <xsl:param name="r" as="xs:string"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="script" as="xs:boolean" select="false()"/>
    <xsl:param name="content" as="node()*"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> — <xsl:value-of select="$site-title"/></title>
        <link rel="stylesheet" href="{$r}assets/teipipe.css"/>
        <xsl:if test="$script"><script src="{$r}assets/site.js" defer="defer"></script></xsl:if>
        <xsl:if test="$class = 'search'"><script src="assets/search.js" defer="defer"></script></xsl:if>
      </head>
      <body class="{$class}">
        <xsl:call-template name="site-header"><xsl:with-param name="r" select="$r"/></xsl:call-template>
        <main id="main"><xsl:sequence select="$content"/></main>
        <xsl:call-template name="site-footer"/>
      </body>
    </html>
  </xsl:template>

  <!-- ===== Full-text search =====
       The index is Pagefind's (pipeline/render/search.py runs it over the written site); this
       page only holds its box. Pagefind loads its index with fetch(), which browsers refuse on
       file://, so opened from a folder the page says how to serve it instead of failing. -->
  <xsl:template name="search">
    <xsl:result-document href="search.html" format="page">
      <xsl:call-template name="shell">
        <xsl:with-param name="r" select="''"/>
        <xsl:with-param name="title" select="'Search'"/>
        <xsl:with-param name="class" select="'search'"/>
        <xsl:with-param name="content">
          <h1>Search</h1>
          <p class="lede">The full text of every telegram (translation and original), and every
            person and place, searched in your browser: nothing is sent anywhere.</p>
          <div id="search" class="search-box"></div>
          <div id="search-help" class="search-help" hidden="hidden">
            <p><strong>Search needs the site to be served over http</strong>
              (<span class="why">browsers do not let a page opened from a folder load the search index</span>).
              From the folder that holds this site's <code>html</code> folder, run</p>
            <pre><code>python -m http.server -d html</code></pre>
            <p>and open <code>http://localhost:8000/search.html</code>, or run
              <code>teipipe serve SOURCES -o OUT</code>. Any static web server will do.
              The <a href="index.html">list of telegrams</a> filters by title, name and place without one.</p>
          </div>
          <noscript><p>Search needs JavaScript. The <a href="index.html">list of telegrams</a> and the
            <a href="persons/index.html">persons</a> and <a href="places/index.html">places</a> pages link every text.</p></noscript>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:result-document>
  </xsl:template>

  <!-- ===== The index of telegrams ===== -->
  <xsl:template name="index">
    <xsl:result-document href="index.html" format="page">
      <xsl:call-template name="shell">
        <xsl:with-param name="r" select="''"/>
        <xsl:with-param name="title" select="'Telegrams'"/>
        <xsl:with-param name="class" select="'index'"/>
        <xsl:with-param name="script" select="true()"/>
        <xsl:with-param name="content">
          <h1>Telegrams</h1>
          <p class="lede"><xsl:value-of select="count($docs)"/> ciphered telegrams and letters, in the order
            they were sent. Each is edited from its archival record in TEI P5; click a title to read it, a
            column heading to sort, or type to filter; <a href="search.html">search</a> finds words in the texts.</p>
          <form class="controls" role="search" aria-label="Filter the telegrams" onsubmit="return false">
            <label>Search <input type="search" id="q" placeholder="name, place, words of the title…" autocomplete="off"/></label>
            <label>Sender
              <select id="sender">
                <option value="">anyone</option>
                <xsl:for-each select="distinct-values($docs/from/string())">
                  <xsl:sort select="."/>
                  <option value="{.}"><xsl:value-of select="."/></option>
                </xsl:for-each>
              </select>
            </label>
            <label>Year
              <select id="year">
                <option value="">any</option>
                <xsl:for-each select="distinct-values($docs/@sort[. ne ''] ! substring(., 1, 4))">
                  <xsl:sort select="."/>
                  <option value="{.}"><xsl:value-of select="."/></option>
                </xsl:for-each>
              </select>
            </label>
            <p class="count" id="count" aria-live="polite"><xsl:value-of select="count($docs)"/> telegrams</p>
          </form>
          <table class="index" id="telegrams">
            <caption class="skip">Telegrams, in chronological order</caption>
            <thead>
              <tr>
                <th scope="col" aria-sort="ascending" data-key="date"><button type="button">Date</button></th>
                <th scope="col" data-key="title"><button type="button">Title</button></th>
                <th scope="col" data-key="route"><button type="button">From → To</button></th>
                <th scope="col" data-key="archive"><button type="button">Archive</button></th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="$docs">
                <tr data-date="{@sort}" data-year="{substring(@sort, 1, 4)}"
                    data-sender="{string-join(from, '|')}"
                    data-title="{lower-case(title)}"
                    data-route="{lower-case(string-join((from, to), ' '))}"
                    data-archive="{lower-case(archive)}"
                    data-text="{string-join((lower-case(string-join((title, from, to, from-place, archive, abstract), ' ')),
                        use ! $entry-names(string(@key))), ' ')}">
                  <td class="date"><time datetime="{date/@when}"><xsl:value-of select="f:short-date(date)"/></time></td>
                  <td class="title"><a href="{@id}.html"><xsl:value-of select="title"/></a></td>
                  <td class="route">
                    <xsl:call-template name="names"><xsl:with-param name="n" select="from"/><xsl:with-param name="r" select="''"/></xsl:call-template>
                    <xsl:if test="from or to"> → </xsl:if>
                    <xsl:call-template name="names"><xsl:with-param name="n" select="to"/><xsl:with-param name="r" select="''"/></xsl:call-template>
                  </td>
                  <td class="archive"><xsl:value-of select="archive"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
          <p id="none" class="none" hidden="hidden" aria-live="polite">No telegram's title, people or places
            match. <a id="fulltext" href="search.html">Search the full text of the telegrams</a> instead.</p>
          <noscript><p>Sorting and filtering need JavaScript; the list above is in date order.</p></noscript>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:result-document>
  </xsl:template>

  <xsl:function name="f:short-date" as="xs:string">
    <xsl:param name="d" as="element(date)?"/>
    <xsl:variable name="w" select="string($d/@when)"/>
    <xsl:sequence select="if (string-length($w) ge 10 and substring($w, 1, 10) castable as xs:date)
        then format-date(xs:date(substring($w, 1, 10)), '[D] [MNn,*-3] [Y]') else normalize-space($d)"/>
  </xsl:function>

  <xsl:template name="names">
    <xsl:param name="n" as="element()*"/>
    <xsl:param name="r" as="xs:string"/>
    <xsl:for-each select="$n">
      <xsl:if test="position() gt 1">, </xsl:if>
      <xsl:choose>
        <!-- Persons have pages; a body as a party (the Ministry of Foreign Affairs) does not. -->
        <xsl:when test="@ref ne '' and key('entry', @ref, $corpus)[1][self::tei:person]"><a href="{$r}persons/{@ref}.html" title="{.}"><xsl:value-of select="(@short, .)[1]"/></a></xsl:when>
        <xsl:otherwise><xsl:value-of select="(@short, .)[1]"/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <!-- ===== Persons and places ===== -->
  <xsl:template name="entries">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:variable name="dir" select="$kind || 's'"/>
    <xsl:variable name="label" select="if ($kind = 'person') then 'Persons' else 'Places'"/>
    <xsl:variable name="ids" as="xs:string*">
      <!-- Each id names a file (xsl:result-document below): only XML names, which
           are one plain path segment, and never the index page's own name. -->
      <xsl:perform-sort select="distinct-values($docs/mention[@kind = $kind]/@ref)
          [. castable as xs:NCName][. ne 'index']">
        <xsl:sort select="lower-case(f:reg-name(key('entry', ., $corpus)[1]))"/>
      </xsl:perform-sort>
    </xsl:variable>

    <xsl:if test="f:wanted($dir || '/index.html')">
    <xsl:result-document href="{$dir}/index.html" format="page">
      <xsl:call-template name="shell">
        <xsl:with-param name="r" select="'../'"/>
        <xsl:with-param name="title" select="$label"/>
        <xsl:with-param name="class" select="$dir"/>
        <xsl:with-param name="content">
          <h1><xsl:value-of select="$label"/></h1>
          <p class="lede">
            <xsl:value-of select="if ($kind = 'person')
                then 'Everyone who sends, receives or is named in the telegrams, under the name historians use; pseudonyms and other forms are given on each page.'
                else 'Every place the telegrams name or were sent from.'"/>
          </p>
          <ul class="entries">
            <xsl:for-each select="$ids">
              <xsl:variable name="e" select="key('entry', ., $corpus)[1]"/>
              <xsl:variable name="n" select="count(key('mentioning', ., $corpus))"/>
              <li><a href="{.}.html"><xsl:value-of select="f:reg-name($e)"/></a>
                <span class="count"> · <xsl:value-of select="$n"/> telegram<xsl:if test="$n ne 1">s</xsl:if></span></li>
            </xsl:for-each>
          </ul>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:result-document>
    </xsl:if>

    <xsl:for-each select="$ids[f:wanted($dir || '/' || . || '.html')]">
      <xsl:variable name="id" select="."/>
      <xsl:variable name="e" select="key('entry', $id, $corpus)[1]"/>
      <xsl:variable name="name" select="f:natural(f:reg-name($e))"/>
      <xsl:result-document href="{$dir}/{$id}.html" format="page">
        <xsl:call-template name="shell">
          <xsl:with-param name="r" select="'../'"/>
          <xsl:with-param name="title" select="$name"/>
          <xsl:with-param name="class" select="$kind"/>
          <xsl:with-param name="content">
            <!-- The search indexes the entry (names, card), not the list of telegrams under it. -->
            <div data-pagefind-body="" data-pagefind-meta="kind:{if ($kind = 'person') then 'Person' else 'Place'}">
            <p class="kicker"><a href="index.html"><xsl:value-of select="$label"/></a></p>
            <h1><xsl:value-of select="$name"/></h1>
            <xsl:apply-templates select="$e" mode="card"/>
            <h2 data-pagefind-ignore="">Telegrams</h2>
            <table class="index" data-pagefind-ignore="">
              <thead><tr><th scope="col">Date</th><th scope="col">Title</th><th scope="col">Role</th></tr></thead>
              <tbody>
                <xsl:for-each select="key('mentioning', $id, $corpus)">
                  <tr>
                    <td class="date"><time datetime="{date/@when}"><xsl:value-of select="f:short-date(date)"/></time></td>
                    <td class="title"><a href="../{@id}.html"><xsl:value-of select="title"/></a></td>
                    <td class="roles">
                      <xsl:for-each select="mention[@ref = $id]">
                        <xsl:sort select="index-of(('sender', 'recipient', 'via', 'cc', 'mentioned'), @role)"/>
                        <span class="badge {@role}"><xsl:value-of select="f:role-label(@role, $kind)"/></span>
                      </xsl:for-each>
                    </td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
            </div>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:result-document>
    </xsl:for-each>
  </xsl:template>

  <xsl:function name="f:role-label" as="xs:string">
    <xsl:param name="role" as="xs:string"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:sequence select="if ($kind = 'place') then
        (if ($role = 'sender') then 'sent from' else if ($role = 'recipient') then 'received at' else 'named')
      else if ($role = 'cc') then 'copy' else if ($role = 'via') then 'via' else if ($role = 'mentioned') then 'named'
      else $role"/>
  </xsl:function>

  <!-- Who a person was, from the entry the documents carry (copied from tei/people.xml). -->
  <xsl:template match="tei:person | tei:place | tei:org | tei:personGrp" mode="card">
    <xsl:variable name="reg" select="f:reg-name(.)"/>
    <div class="person-card">
      <dl>
        <xsl:variable name="role" select="tei:occupation | tei:roleName | tei:affiliation | tei:note | tei:desc | tei:state"/>
        <xsl:if test="$role">
          <dt>Role</dt><xsl:text> </xsl:text><dd><xsl:value-of select="string-join($role ! normalize-space(.), '; ')"/></dd><xsl:text> </xsl:text>
        </xsl:if>
        <xsl:if test="tei:birth or tei:death">
          <dt>Life</dt><xsl:text> </xsl:text>
          <dd><xsl:value-of select="(tei:birth ! f:date(.), '?')[. ne ''][1]"/> – <xsl:value-of select="(tei:death ! f:date(.), '?')[. ne ''][1]"/></dd><xsl:text> </xsl:text>
        </xsl:if>
        <xsl:variable name="variants" select="(tei:persName | tei:placeName | tei:orgName)[not(@type = ('reg', 'main'))]
            [not(normalize-space() = ($reg, f:natural($reg)))]"/>
        <xsl:if test="$variants">
          <dt>Also written</dt><xsl:text> </xsl:text>
          <dd>
            <xsl:for-each select="$variants">
              <xsl:if test="position() gt 1">; </xsl:if>
              <span><xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if><xsl:value-of select="normalize-space(.)"/></span>
              <xsl:if test="@type = 'pseudonym'"> (cover name)</xsl:if>
            </xsl:for-each>
          </dd><xsl:text> </xsl:text>
        </xsl:if>
        <xsl:for-each select="tei:location/tei:geo">
          <dt>Coordinates</dt><xsl:text> </xsl:text><dd><xsl:value-of select="."/></dd><xsl:text> </xsl:text>
        </xsl:for-each>
        <xsl:if test="tei:idno">
          <dt>Authority</dt><xsl:text> </xsl:text>
          <dd>
            <xsl:for-each select="tei:idno">
              <xsl:if test="position() gt 1"> · </xsl:if>
              <xsl:variable name="v" select="normalize-space(.)"/>
              <xsl:variable name="href" select="
                  if (starts-with($v, 'http')) then $v
                  else if (lower-case(@type) = 'wikidata') then 'https://www.wikidata.org/wiki/' || $v
                  else if (lower-case(@type) = 'viaf') then 'https://viaf.org/viaf/' || $v
                  else if (lower-case(@type) = 'geonames') then 'https://www.geonames.org/' || $v
                  else if (lower-case(@type) = 'gnd') then 'https://d-nb.info/gnd/' || $v else ''"/>
              <xsl:choose>
                <xsl:when test="$href"><a href="{$href}"><xsl:value-of select="(@type, 'id')[1]"/>: <xsl:value-of select="$v"/></a></xsl:when>
                <xsl:otherwise><xsl:value-of select="(@type, 'id')[1]"/>: <xsl:value-of select="$v"/></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </dd><xsl:text> </xsl:text>
        </xsl:if>
      </dl>
    </div>
  </xsl:template>
</xsl:stylesheet>
