// upphandla's browser interview works without this script. With it, the side panel follows
// the answer while the officer ticks and types, before it is saved.
(function () {
  "use strict";
  var form = document.getElementById("question-form");
  var content = document.getElementById("panel-content");
  if (!form || !content || !window.fetch) {
    return;
  }
  var timer = null;
  var latest = 0;
  function refresh() {
    var asked = ++latest;
    var body = new URLSearchParams(new FormData(form));
    fetch(form.getAttribute("data-preview"), {
      method: "POST",
      body: body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && asked === latest) {
        content.innerHTML = html;
      }
    }).catch(function () { /* the panel stays as it was */ });
  }
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }
  form.addEventListener("change", later);
  form.addEventListener("input", later);
})();
