// Two gaps of Django's admin widgets that axe finds (issue 24 point 5: admin pages axe-clean):
// - the two-list widget (SelectFilter: permissions, groups) draws its search icons as
//   <span aria-label="…"> without a role (aria-prohibited-attr, WCAG 4.1.2): they get the
//   role of an image, which may carry a label. The widget is drawn on "load"; this runs
//   after every load listener.
// - a date-and-time field (AdminSplitDateTime: last login, date joined) is two inputs whose
//   row label points at neither (label, WCAG 4.1.2): each gets the row's label with 日期 or
//   时间.
"use strict";
(function () {
  function nameSplitInputs() {
    document.querySelectorAll("input.vDateField, input.vTimeField").forEach(function (input) {
      if (input.labels.length || input.getAttribute("aria-label")) {
        return;
      }
      var row = input.closest(".form-row, .fieldBox, td, p");
      var label = row ? row.querySelector("label") : null;
      var text = label ? label.textContent.replace(/[:：\s]+$/, "").trim() : "";
      var part = input.classList.contains("vDateField") ? "日期" : "时间";
      input.setAttribute("aria-label", text ? text + " " + part : part);
    });
  }
  function roleForIcons() {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (span) {
      span.setAttribute("role", "img");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", nameSplitInputs);
  } else {
    nameSplitInputs();
  }
  window.addEventListener("load", function () {
    window.setTimeout(roleForIcons, 0);
  });
})();
