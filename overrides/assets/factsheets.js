/* Permalinks: show them absolute, and copy them with one click. Pages work without this. */
(function () {
  "use strict";
  function absolute(href) { return new URL(href, window.location.href).href; }
  /* Statement anchors are st-<id> (a namespace of their own, so no statement id can collide with
     the page's ids); a link made before, meetings/<m>/#<id>, is sent on to #st-<id>. */
  function legacyStatementAnchor() {
    var id = "";
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return; }
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id) || document.getElementById(id)) { return; }
    if (document.getElementById("st-" + id)) { window.location.replace("#st-" + id); }
  }
  legacyStatementAnchor();
  window.addEventListener("hashchange", legacyStatementAnchor);
  document.querySelectorAll(".fs-permalink").forEach(function (el) {
    el.textContent = absolute(el.textContent.trim());
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".fs-copy") : null;
    if (!button) { return; }
    var url = absolute(button.getAttribute("data-copy"));
    var done = function () {
      var label = button.textContent;
      button.textContent = "✓";
      setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, function () { window.prompt("", url); });
    } else {
      window.prompt("", url);
    }
  });
})();
