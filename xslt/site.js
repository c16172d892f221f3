/* teipipe index: filter and sort the table of telegrams in the browser, no server. */
(function () {
  "use strict";
  var table = document.getElementById("telegrams");
  if (!table) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var q = document.getElementById("q");
  var sender = document.getElementById("sender");
  var year = document.getElementById("year");
  var count = document.getElementById("count");

  function words(s) { return s.toLowerCase().split(/\s+/).filter(Boolean); }

  function filter() {
    var terms = words(q.value);
    var who = sender.value;
    var yr = year.value;
    var shown = 0;
    rows.forEach(function (tr) {
      var text = tr.getAttribute("data-text");
      var ok = terms.every(function (t) { return text.indexOf(t) !== -1; });
      if (ok && who) ok = tr.getAttribute("data-sender").split("|").indexOf(who) !== -1;
      if (ok && yr) ok = tr.getAttribute("data-year") === yr;
      tr.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + " of " + rows.length + " telegrams";
    // An empty list says so, and offers the words typed to the full-text search.
    var none = document.getElementById("none");
    if (none) {
      none.hidden = shown !== 0;
      var link = document.getElementById("fulltext");
      if (link) link.href = "search.html" + (q.value.trim() ? "?q=" + encodeURIComponent(q.value.trim()) : "");
    }
    table.setAttribute("data-shown", String(shown));
  }

  function sortBy(th) {
    var key = th.getAttribute("data-key");
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = a.getAttribute("data-" + key) || "", y = b.getAttribute("data-" + key) || "";
      var c = x < y ? -1 : x > y ? 1 : 0;
      if (c === 0) c = a.getAttribute("data-date") < b.getAttribute("data-date") ? -1 : 1;
      return asc ? c : -c;
    });
    rows.forEach(function (tr) { tbody.appendChild(tr); });
    table.setAttribute("data-sorted", key + (asc ? "-asc" : "-desc"));
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var b = th.querySelector("button");
    if (b) b.addEventListener("click", function () { sortBy(th); });
  });
  [q, sender, year].forEach(function (el) { el.addEventListener("input", filter); });

  // A filter or sort can be given in the address: index.html#q=stalin&sort=title-desc
  function fromHash() {
    var h = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) h[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1));
    });
    if (h.q) q.value = h.q;
    if (h.sender) sender.value = h.sender;
    if (h.year) year.value = h.year;
    if (h.sort) {
      var parts = h.sort.split("-");
      var th = table.querySelector('th[data-key="' + parts[0] + '"]');
      if (th) {
        // sortBy toggles: set the opposite state first so the wanted order results.
        th.setAttribute("aria-sort", parts[1] === "desc" ? "ascending" : "none");
        sortBy(th);
      }
    }
  }
  fromHash();
  filter();
})();
