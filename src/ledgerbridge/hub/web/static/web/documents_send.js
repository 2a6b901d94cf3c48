/* Document list: tick all, and show how many documents are ticked for sending. The live
   status poll swaps only the status cells, so the ticks stay; a filter swap starts over. */
(function () {
  "use strict";

  var counter = document.getElementById("send-count");

  function boxes() { return document.querySelectorAll("#document-table input[name=ids]"); }

  function showCount() {
    if (!counter) { return; }
    var count = 0;
    boxes().forEach(function (box) { if (box.checked) { count += 1; } });
    counter.textContent = count ? counter.dataset.some.replace("%(count)s", count) : counter.dataset.none;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("#document-table [data-tick-all]")) {
      boxes().forEach(function (box) { box.checked = target.checked; });
    }
    if (target.matches("#document-table [data-tick-all], #document-table input[name=ids]")) { showCount(); }
  });
  document.body.addEventListener("htmx:afterSettle", showCount);
  showCount();
})();
