/* Site behaviour shared by every page. No inline JavaScript anywhere: this file
 * is loaded with `defer`, so a strict Content-Security-Policy (script-src 'self')
 * is possible. */
(function () {
  "use strict";

  function absoluteUrl(href) {
    try { return new URL(href, document.baseURI).href; } catch (e) { return href; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    // 打印: a real button that opens the browser's print dialog.
    document.querySelectorAll("[data-action='print']").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    // The printed page shows the article's full address, not a relative path.
    document.querySelectorAll("[data-print-url]").forEach(function (node) {
      node.textContent = absoluteUrl(node.textContent.trim());
    });
  });
})();
