/* ledgerbridge portal: the few behaviours that need a script. Everything works without it:
   forms still post, and the permission editor is plain checkboxes. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function setGroup(group, checked) {
    group.querySelectorAll("input[type=checkbox][name=permissions]").forEach(function (box) {
      box.checked = checked;
    });
  }

  function applyPreset(select) {
    var form = select.form;
    var presets = JSON.parse(select.getAttribute("data-presets") || "{}");
    var wanted = presets[select.value];
    if (!form || !wanted) { return; }
    form.querySelectorAll("input[type=checkbox][name=permissions]").forEach(function (box) {
      box.checked = wanted.indexOf(box.value) !== -1;
    });
  }

  /* the tax ID input shows the shape expected for the chosen country */
  function showShape(select) {
    var shape = JSON.parse(select.getAttribute("data-shapes") || "{}")[select.value] || "";
    var input = select.form && select.form.querySelector("input[name=tax_id]");
    if (!input) { return; }
    input.placeholder = shape;
    var help = document.getElementById(input.id + "_helptext");
    if (help) { help.textContent = (select.getAttribute("data-shape-help") || "%(shape)s").replace("%(shape)s", shape); }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
    if (target.matches && target.matches("select[data-presets]")) { applyPreset(target); }
    if (target.matches && target.matches("select[data-shapes]")) { showShape(target); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-select]") : null;
    if (!button) { return; }
    event.preventDefault();
    var group = button.closest(".perm-group");
    if (group) { setGroup(group, button.getAttribute("data-select") === "all"); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
      button.textContent = button.getAttribute("data-copied") || "Copied";
    });
  });

  onReady(function () {
    /* the select-all/none buttons only make sense with a script, so they start hidden */
    document.querySelectorAll("[data-select], [data-copy]").forEach(function (el) { el.hidden = false; });
    /* close the user menu when clicking elsewhere */
    document.addEventListener("click", function (event) {
      document.querySelectorAll("details.menu[open]").forEach(function (menu) {
        if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
      });
    });
  });
})();
