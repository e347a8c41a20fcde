/* The case list's "select all on this page" box ticks every row's box (a static file: no
   inline script). Without it the box still works: the server then acts on every case of
   the page (the form's page_cases). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var all = document.querySelector("[data-select-page]");
    if (!all) return;
    var picks = Array.prototype.slice.call(document.querySelectorAll("[data-pick]"));
    all.addEventListener("change", function () {
      picks.forEach(function (box) { box.checked = all.checked; });
    });
    picks.forEach(function (box) {
      box.addEventListener("change", function () {
        all.checked = picks.every(function (b) { return b.checked; });
      });
    });
  });
})();
