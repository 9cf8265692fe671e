// Small enhancements; every page works without this file.
(function () {
  "use strict";
  function focusFirstError(root) {
    var summary = root.querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
  }
  // A block refreshed by htmx that carries data-announce says what changed in its live
  // region (data-announce-in), only when the text differs from what was last said or shown.
  var announced = {};
  function remember(root) {
    root.querySelectorAll("[data-announce]").forEach(function (block) {
      announced[block.id] = block.getAttribute("data-announce");
    });
  }
  function announce() {
    document.querySelectorAll("[data-announce]").forEach(function (block) {
      var text = block.getAttribute("data-announce");
      var region = document.getElementById(block.getAttribute("data-announce-in"));
      if (region && announced[block.id] !== undefined && announced[block.id] !== text) {
        region.textContent = text;
      }
      announced[block.id] = text;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusFirstError(document);
    remember(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) { focusFirstError(event.target); });
  document.addEventListener("htmx:afterSettle", announce);
})();
