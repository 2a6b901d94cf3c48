/* Pending payment slips: keep the ticked boxes ticked while the live table is swapped,
   tick all, and show how many are ticked. */
(function () {
  "use strict";

  var ticked = new Set();
  var counter = document.getElementById("selection-count");

  function boxes() { return document.querySelectorAll("#slip-rows input[name=ids]"); }

  function remember() {
    ticked = new Set();
    boxes().forEach(function (box) { if (box.checked) { ticked.add(box.value); } });
  }

  function showCount() {
    if (!counter) { return; }
    var count = 0;
    boxes().forEach(function (box) { if (box.checked) { count += 1; } });
    counter.textContent = count ? counter.dataset.some.replace("%(count)s", count) : counter.dataset.none;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-tick-all]")) {
      boxes().forEach(function (box) { box.checked = target.checked; });
    }
    if (target.matches("[data-tick-all], #slip-rows input[name=ids]")) { remember(); showCount(); }
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "slip-rows") { remember(); }
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    boxes().forEach(function (box) { if (ticked.has(box.value)) { box.checked = true; } });
    showCount();
  });
  remember();
  if (ticked.size) { showCount(); }
})();
