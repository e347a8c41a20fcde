// 常用语 (issue 24 point 9): beside every text area of the action form, a list of the user's and
// the organ's saved phrases; choosing one adds it to the text. No inline script (CSP).
(function () {
  "use strict";
  var source = document.getElementById("common-phrases");
  if (!source) { return; }
  var phrases = Array.prototype.map.call(source.querySelectorAll("li"), function (li) {
    return li.textContent;
  });
  var label = source.getAttribute("data-label") || "常用语";
  // The opinion and reason fields (an item's block is named items-<n>-reasons …).
  var opinion = /(^|-)(reason|reasons|comment|opinion|note|summary|message|withheld|matter|items|override_reason|backdate_reason|responsible_unknown)$/;
  var areas = Array.prototype.filter.call(document.querySelectorAll("form textarea"), function (area) {
    return opinion.test(area.name);
  });
  areas.forEach(function (area, index) {
    var select = document.createElement("select");
    select.className = "phrase-picker";
    select.id = "phrase-picker-" + index;
    select.setAttribute("aria-label", label);
    var first = document.createElement("option");
    first.value = "";
    first.textContent = label + "…";
    select.appendChild(first);
    phrases.forEach(function (text) {
      var option = document.createElement("option");
      option.value = text;
      option.textContent = text;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      if (!select.value) { return; }
      area.value = area.value ? area.value + select.value : select.value;
      area.dispatchEvent(new Event("input", { bubbles: true }));
      select.value = "";
      area.focus();
    });
    area.parentNode.insertBefore(select, area);
  });
})();
