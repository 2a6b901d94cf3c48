/* On a phone the main tabs scroll sideways: bring the current one into view. Loaded
   without defer right after the <nav>, so it runs before the first paint. */
(function (nav) {
  "use strict";
  var list = nav && nav.querySelector("ul"), current = list && list.querySelector("[aria-current=page]");
  if (current && list.scrollWidth > list.clientWidth) {
    list.scrollLeft = current.parentNode.offsetLeft - (list.clientWidth - current.offsetWidth) / 2;
  }
}(document.currentScript.previousElementSibling));
