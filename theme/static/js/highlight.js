/* Search words highlighted on an article page, as Pagefind does: a search result links to its
 * article with ?highlight=<word>&highlight=<word>… (theme/static/js/search.js passes the words
 * as the article writes them: 繁體, English inflections).  Each occurrence in the article body
 * ([data-highlight-scope]) is wrapped in <mark>, in text nodes only (never markup), and a bar
 * above the body says so with a button that clears the marks and drops the parameter from
 * the address.  Loaded with `defer`; no inline script, so a strict CSP works. */
(function () {
  "use strict";

  var MAX_WORDS = 8, MAX_WORD_LENGTH = 100, MAX_MARKS = 1000;

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function words() {
    var params;
    try { params = new URLSearchParams(window.location.search); } catch (e) { return []; }
    var out = [];
    params.getAll("highlight").forEach(function (word) {
      word = word.trim();
      if (word && word.length <= MAX_WORD_LENGTH && out.indexOf(word) < 0 && out.length < MAX_WORDS) { out.push(word); }
    });
    return out.sort(function (a, b) { return b.length - a.length; });  // the longest first
  }

  function mark(scope, pattern) {
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentNode.closest("script, style, mark") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [], marks = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    nodes.forEach(function (node) {
      var text = node.nodeValue, last = 0, found = null, m;
      pattern.lastIndex = 0;
      while (marks.length < MAX_MARKS && (m = pattern.exec(text)) !== null) {
        if (!m[0]) { pattern.lastIndex += 1; continue; }
        found = found || document.createDocumentFragment();
        found.appendChild(document.createTextNode(text.slice(last, m.index)));
        var element = document.createElement("mark");
        element.className = "search-highlight";
        element.textContent = m[0];
        found.appendChild(element);
        marks.push(element);
        last = m.index + m[0].length;
      }
      if (found) {
        found.appendChild(document.createTextNode(text.slice(last)));
        node.parentNode.replaceChild(found, node);
      }
    });
    return marks;
  }

  function clear(marks, bar) {
    marks.forEach(function (element) {
      var parent = element.parentNode;
      if (!parent) { return; }
      parent.replaceChild(document.createTextNode(element.textContent), element);
      parent.normalize();
    });
    bar.remove();
    try {
      var url = new URL(window.location.href);
      url.searchParams.delete("highlight");
      window.history.replaceState(window.history.state, "", url.href);
    } catch (e) { /* file:// may refuse: the marks are gone anyway */ }
  }

  function setUp() {
    var scope = document.querySelector("[data-highlight-scope]");
    var wanted = words();
    if (!scope || !wanted.length) { return; }
    var marks = mark(scope, new RegExp(wanted.map(escapeRegExp).join("|"), "giu"));
    if (!marks.length) { return; }
    var bar = document.createElement("p");
    bar.className = "highlight-bar";
    bar.setAttribute("role", "note");
    bar.setAttribute("data-highlight-bar", "");
    bar.textContent = (scope.getAttribute("data-highlight-note") || "").split("{words}").join(wanted.join(" ")) + " ";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "highlight-bar__clear";
    button.textContent = scope.getAttribute("data-highlight-clear") || "×";
    button.addEventListener("click", function () { clear(marks, bar); });
    bar.appendChild(button);
    scope.parentNode.insertBefore(bar, scope);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); } else { setUp(); }
})();
