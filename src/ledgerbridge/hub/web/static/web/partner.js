/* The partner space: a double-click on a row opens it (a plain link does the same, also on a
   phone); the live table of a client's documents keeps what was ticked or typed while htmx
   swaps it, leaves the table alone when its ETag did not change, and counts the ticks. */
(function () {
  "use strict";

  var counter = document.getElementById("selection-count");
  var kept = {};
  var lastEtag = null;

  function rowInputs() { return document.querySelectorAll("#sent-rows input[form=bulk-actions]"); }

  function remember() {
    kept = {};
    rowInputs().forEach(function (input) {
      kept[input.name + "=" + input.value] = input.type === "checkbox" ? input.checked : null;
      if (input.type === "text" && input.value) { kept[input.name] = input.value; }
    });
  }

  function restore() {
    rowInputs().forEach(function (input) {
      if (input.type === "checkbox") { input.checked = kept[input.name + "=" + input.value] === true; }
      else if (kept[input.name]) { input.value = kept[input.name]; }
    });
  }

  function showCount() {
    if (!counter) { return; }
    var count = document.querySelectorAll("#sent-rows input[name=ids]:checked").length;
    counter.textContent = count ? counter.dataset.some.replace("%(count)s", count) : counter.dataset.none;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("#sent-rows [data-tick-all]")) {
      document.querySelectorAll("#sent-rows input[name=ids]").forEach(function (box) { box.checked = target.checked; });
    }
    showCount();
  });

  document.addEventListener("dblclick", function (event) {
    var row = event.target.closest("tr.open-row[data-href]");
    if (!row || event.target.closest("a, input, button, label, select, textarea")) { return; }
    window.location.assign(row.dataset.href);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "sent-rows") { return; }
    var etag = event.detail.xhr.getResponseHeader("ETag");
    // a 304 reaches the script as the cached 200: the same ETag means nothing changed
    if (etag && etag === lastEtag) { event.detail.shouldSwap = false; return; }
    lastEtag = etag;
    remember();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && event.detail.target.id === "sent-rows") { restore(); showCount(); }
  });
  showCount();
})();
