/* Permalinks: show them absolute, and copy them with one click. Pages work without this. */
(function () {
  "use strict";
  function absolute(href) { return new URL(href, window.location.href).href; }
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
