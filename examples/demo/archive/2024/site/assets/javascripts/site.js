/*
 * Small progressive enhancements; the pages work without this file.
 *
 * Wide tables scroll sideways inside their own box on phones. A box that
 * scrolls must be reachable from the keyboard (WCAG 2.1.1; axe rule
 * scrollable-region-focusable), so every box that actually overflows gets
 * tabindex="0" and a name; boxes that fit lose them again.
 *
 * A table off screen is not laid out (content-visibility: auto in site.css),
 * so its box cannot tell yet whether it overflows. Until the browser draws it
 * (the contentvisibilityautostatechange event), the box is treated as one
 * that overflows: a keyboard can reach it, and a check that draws it (or a
 * reader who scrolls to it) never meets a scrolling box it cannot focus.
 * Once drawn it is measured and, if it fits, loses the marks (when it is not
 * focused at that moment; otherwise when focus leaves it). Measuring every
 * box at load would force the layout that site.css skips.
 */
(function () {
  "use strict";
  var SELECTOR = ".md-typeset__scrollwrap, .md-typeset table:not([class])";
  var WRAP = ".md-typeset__scrollwrap";
  var MARK = "data-site-scroll";

  // Whether the browser currently skips drawing the table (off screen).
  function skipped(table) {
    var cell = table.querySelector("th, td");
    return Boolean(cell && cell.checkVisibility &&
      !cell.checkVisibility({contentVisibilityAuto: true}));
  }

  function tableOf(box) {
    return box.tagName === "TABLE" ? box : box.querySelector("table");
  }

  function boxOf(table) {
    return table.closest(WRAP) || table;
  }

  function set(box) {
    if (box.hasAttribute("tabindex")) {
      return;
    }
    box.setAttribute("tabindex", "0");
    box.setAttribute(MARK, "");
    if (box.tagName !== "TABLE") {
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Таблица, прокручивается вбок");
    }
  }

  function unset(box) {
    if (!box.hasAttribute(MARK)) {
      return;
    }
    if (box === document.activeElement) {
      box.addEventListener("blur", function () { mark(box); }, {once: true});
      return;
    }
    box.removeAttribute("tabindex");
    box.removeAttribute(MARK);
    box.removeAttribute("role");
    box.removeAttribute("aria-label");
  }

  function mark(box) {
    // A table inside Material's scrolling wrapper does not scroll itself.
    if (box.tagName === "TABLE" && box.closest(WRAP)) {
      unset(box);
      return;
    }
    var table = tableOf(box);
    if ((table && skipped(table)) || box.scrollWidth > box.clientWidth + 1) {
      set(box);
    } else {
      unset(box);
    }
  }

  function update() {
    var boxes = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < boxes.length; i++) {
      mark(boxes[i]);
    }
  }

  var timer = null;
  function later() {
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(update, 150);
  }

  function start() {
    var tables = document.querySelectorAll(".md-typeset table:not([class])");
    for (var i = 0; i < tables.length; i++) {
      tables[i].addEventListener("contentvisibilityautostatechange", function (event) {
        if (!event.skipped) {
          mark(boxOf(event.target));
        }
      });
    }
    update();
  }

  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
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
