/*
 * Small progressive enhancements; the pages work without this file.
 *
 * Wide tables scroll sideways inside their own box on phones. A box that
 * scrolls must be reachable from the keyboard (WCAG 2.1.1; axe rule
 * scrollable-region-focusable), so every box that actually overflows gets
 * tabindex="0" and a name; boxes that fit lose them again.
 */
(function () {
  "use strict";
  var SELECTOR = ".md-typeset__scrollwrap, .md-typeset table:not([class])";
  var MARK = "data-site-scroll";

  function update() {
    var boxes = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var overflows = box.scrollWidth > box.clientWidth + 1;
      // A table inside a scrolling wrapper does not scroll itself.
      if (overflows && box.tagName !== "TABLE") {
        var inner = box.querySelector("table");
        if (inner) {
          inner.removeAttribute("tabindex");
        }
      }
      if (overflows && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute(MARK, "");
        if (box.tagName !== "TABLE") {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", "Таблица, прокручивается вбок");
        }
      } else if (!overflows && box.hasAttribute(MARK)) {
        box.removeAttribute("tabindex");
        box.removeAttribute(MARK);
        if (box.tagName !== "TABLE") {
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
        }
      }
    }
  }

  var timer = null;
  function later() {
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(update, 150);
  }

  if (document.readyState === "complete") {
    update();
  } else {
    window.addEventListener("load", update);
  }
  window.addEventListener("resize", later);
  // The reading mode changes the font size and so the table widths.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-site-reading-toggle]")) {
      later();
    }
  });
})();
