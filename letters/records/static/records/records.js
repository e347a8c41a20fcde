/* Responsive records: progress polling and drawing redaction boxes on page pictures.
   Served as a static file (no inline script). Without it, the pages still work: a refresh
   link shows progress and the box form takes the coordinates typed in. */
(function () {
  "use strict";

  function place(el) {
    el.style.left = el.dataset.x + "%";
    el.style.top = el.dataset.y + "%";
    el.style.width = el.dataset.w + "%";
    el.style.height = el.dataset.h + "%";
  }

  function poll(el) {
    var url = el.dataset.poll;
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          data.records.forEach(function (r) {
            var badge = document.querySelector('[data-record-status="' + r.id + '"]');
            if (badge) {
              badge.textContent = r.label + (r.status === "processing" ? " " + r.pages_done + "/" + r.pages_total : "");
            }
          });
          var set = document.querySelector("[data-set-status]");
          if (set && data.set) {
            set.textContent = data.set.label + (data.set.status === "building" ? " " + data.set.pages_done + "/" + data.set.pages_total : "");
          }
          if (data.busy) { window.setTimeout(tick, 1500); } else { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(tick, 5000); });
    }
    window.setTimeout(tick, 1000);
  }

  function frac(v) { return Math.max(0, Math.min(1, v)).toFixed(4); }

  function draw(sheet) {
    var img = sheet.querySelector("img");
    var rect = sheet.querySelector(".drawing");
    var form = document.querySelector('.box-form[data-page="' + sheet.dataset.page + '"]');
    if (!img || !rect || !form) { return; }
    var start = null;
    function pos(e) {
      var b = img.getBoundingClientRect();
      return { x: (e.clientX - b.left) / b.width, y: (e.clientY - b.top) / b.height };
    }
    function show(a, b) {
      var x0 = Math.min(a.x, b.x), y0 = Math.min(a.y, b.y);
      var x1 = Math.max(a.x, b.x), y1 = Math.max(a.y, b.y);
      rect.dataset.x = x0 * 100; rect.dataset.y = y0 * 100;
      rect.dataset.w = (x1 - x0) * 100; rect.dataset.h = (y1 - y0) * 100;
      place(rect);
      rect.hidden = false;
      return [x0, y0, x1, y1];
    }
    sheet.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) { return; }
      e.preventDefault();
      start = pos(e);
      sheet.setPointerCapture(e.pointerId);
    });
    sheet.addEventListener("pointermove", function (e) {
      if (start) { show(start, pos(e)); }
    });
    sheet.addEventListener("pointerup", function (e) {
      if (!start) { return; }
      var box = show(start, pos(e));
      start = null;
      ["x0", "y0", "x1", "y1"].forEach(function (name, i) {
        form.elements[name].value = frac(box[i]);
      });
      var ground = form.querySelector("select");
      if (ground) { ground.focus(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".sheet .box, .sheet .suggestion").forEach(place);
    document.querySelectorAll(".sheet[data-page]").forEach(draw);
    document.querySelectorAll("[data-poll]").forEach(poll);
  });
})();
