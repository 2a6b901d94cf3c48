/* On a phone the document filters would fill the first screen: fold them unless some are
   in use. Loaded without defer right after the panel, so it runs before the first paint. */
(function (panel) {
  "use strict";
  if (panel && !panel.hasAttribute("data-filtered") && window.matchMedia("(max-width: 639.98px)").matches) { panel.open = false; }
}(document.currentScript.previousElementSibling));
