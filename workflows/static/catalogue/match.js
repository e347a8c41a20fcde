// /apply/: as the applicant types the subject, the catalogue items already published that
// match it are shown ("以下信息已主动公开", issue 26 point 4). The server remembers which
// items it showed to this form (its submission token); the application records them.
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("catalogue-matches");
    var subject = document.getElementById("id_subject");
    if (!box || !subject || !window.fetch) return;
    var timer = null;
    var last = "";
    function render(data) {
      box.textContent = "";
      if (!data.items || !data.items.length) return;
      var heading = document.createElement("h3");
      heading.textContent = data.heading;
      box.appendChild(heading);
      var list = document.createElement("ul");
      data.items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        a.target = "_blank";
        a.rel = "noopener";
        a.textContent = item.title + (item.doc_number ? "（" + item.doc_number + "）" : "");
        var hint = document.createElement("span");
        hint.className = "visually-hidden";
        hint.textContent = box.dataset.newWindow || "";
        a.appendChild(hint);
        li.appendChild(a);
        list.appendChild(li);
      });
      box.appendChild(list);
      var note = document.createElement("p");
      note.className = "help";
      note.textContent = box.dataset.note || "";
      box.appendChild(note);
    }
    function look() {
      var q = subject.value.trim();
      if (q === last) return;
      last = q;
      if (q.length < 4) { box.textContent = ""; return; }
      var url = box.dataset.url + "?q=" + encodeURIComponent(q) +
        "&token=" + encodeURIComponent(box.dataset.token || "");
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(render)
        .catch(function () { /* the form works without it */ });
    }
    subject.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(look, 400);
    });
    if (subject.value) look();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
