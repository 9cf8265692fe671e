// Small enhancements; every page works without this file.
(function () {
  "use strict";
  function focusFirstError(root) {
    var summary = root.querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusFirstError(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusFirstError(event.target); });
})();
