/* Site behaviour shared by every page. No inline JavaScript anywhere: this file
 * is loaded with `defer`, so a strict Content-Security-Policy (script-src 'self')
 * is possible.  Everything here is an enhancement: without it the page still works
 * (print from the browser's menu, copy the link from the box, the columns as a list). */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function absoluteUrl(href) {
    try { return new URL(href, document.baseURI).href; } catch (e) { return href; }
  }

  // A site path handed over in ?from= (an article's output path): letters, digits, - _ . / only,
  // ending in .html, never a scheme, a host or "..", so the link can only lead inside the site.
  function safeSitePath(value) {
    if (!value || !/^[A-Za-z0-9_\-][A-Za-z0-9_\-.\/]*\.html$/.test(value)) { return null; }
    if (value.indexOf("..") !== -1 || value.indexOf("//") !== -1) { return null; }
    return value;
  }

  function setUpPrint() {
    // 打印: a real button that opens the browser's print dialog.
    document.querySelectorAll("[data-action='print']").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    // The printed page shows the article's full address, not a relative path.
    document.querySelectorAll("[data-print-url]").forEach(function (node) {
      node.textContent = absoluteUrl(node.textContent.trim());
    });
  }

  function setUpCopyLink() {
    document.querySelectorAll("[data-action='copy-link']").forEach(function (button) {
      var box = button.parentNode;
      var input = box.querySelector("[data-share-url]");
      var status = box.querySelector("[data-copy-status]");
      if (!input) { return; }
      input.value = absoluteUrl(input.value);
      button.hidden = false;
      function report(ok) {
        if (status) { status.textContent = ok ? button.getAttribute("data-copied") : button.getAttribute("data-failed"); }
      }
      button.addEventListener("click", function () {
        input.select();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(function () { report(true); }, function () { report(false); });
          return;
        }
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        report(ok);
      });
    });
  }

  function setUpMenu() {
    // Phones: the button beside 新闻中心 opens and closes its columns; the link still leads to the
    // news centre.  Escape closes the menu and gives focus back to the button.
    document.querySelectorAll("[data-menu]").forEach(function (menu) {
      var button = menu.querySelector("[data-menu-toggle]");
      if (!button) { return; }
      function set(open) {
        menu.classList.toggle("is-open", open);
        button.setAttribute("aria-expanded", open ? "true" : "false");
      }
      button.addEventListener("click", function () { set(!menu.classList.contains("is-open")); });
      menu.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.classList.contains("is-open")) { set(false); button.focus(); }
      });
      document.addEventListener("click", function (event) {
        if (!menu.contains(event.target)) { set(false); }
      });
    });
  }

  function setUpBackLink() {
    // The "not translated yet" notice: a link back to the article the reader came from.
    var link = document.querySelector("[data-back-to-article]");
    if (!link) { return; }
    var from = safeSitePath(new URLSearchParams(window.location.search).get("from"));
    if (!from) { return; }
    link.href = (link.getAttribute("data-root") || "") + from;
    link.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpPrint();
    setUpCopyLink();
    setUpMenu();
    setUpBackLink();
  });
})();
