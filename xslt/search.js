/* teipipe search page: Pagefind's own interface over the index the build wrote to pagefind/.
   Pagefind fetches its index; browsers refuse fetch() on file://, and a site rendered
   without the index has no pagefind/ folder: in both cases the page explains how to get
   search instead of showing an empty box. ?q=word in the address runs a search. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  var help = document.getElementById("search-help");
  if (!box || !help) return;

  function explain(why) {
    if (why) help.querySelector(".why").textContent = why;
    help.hidden = false;
    box.hidden = true;
    document.body.setAttribute("data-search", "unavailable");
  }

  if (location.protocol === "file:") {
    explain("");
    return;
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = "pagefind/pagefind-ui.css";
  document.head.appendChild(css);

  var script = document.createElement("script");
  script.src = "pagefind/pagefind-ui.js";
  script.onerror = function () {
    explain("this copy of the site was written without its search index: " +
            "teipipe build writes it, unless given --no-search");
  };
  script.onload = function () {
    /* global PagefindUI */
    var ui = new PagefindUI({
      element: "#search",
      showImages: false,
      showSubResults: true,
      excerptLength: 30,
      resetStyles: false,
      autofocus: true,
      translations: {
        placeholder: "Search the telegrams, persons and places",
        zero_results: "No results for [SEARCH_TERM]. Check the spelling, or try a name or a place."
      }
    });
    document.body.setAttribute("data-search", "ready");
    var q = new URLSearchParams(location.search).get("q");
    if (q) ui.triggerSearch(q);
  };
  document.head.appendChild(script);
})();
