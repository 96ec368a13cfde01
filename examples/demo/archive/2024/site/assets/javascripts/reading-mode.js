/*
 * «Версия для слабовидящих» (reading mode for visually impaired readers).
 *
 * Loaded synchronously in <head> (templates/theme/main.html) so that the
 * class is on <html> before the first paint. The choice is kept in
 * localStorage. Without JavaScript the page stays in the normal layout and
 * the header button is hidden (html.no-js, see site.css).
 */
(function () {
  "use strict";
  var KEY = "site-reading-mode";
  var CLASS = "reading-mode";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY) === "on";
    } catch (e) {
      return false;
    }
  }

  function store(on) {
    try {
      if (on) {
        window.localStorage.setItem(KEY, "on");
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (e) {
      /* private mode or storage disabled: the choice lasts for this page */
    }
  }

  function render(on) {
    var buttons = document.querySelectorAll("[data-site-reading-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      var label = button.querySelector("[data-site-reading-label]");
      var text = on ? "Обычная версия" : "Версия для слабовидящих";
      if (label) {
        label.textContent = text;
      }
      button.setAttribute(
        "title",
        on ? "Обычная версия сайта" : "Версия для слабовидящих: крупный шрифт, высокая контрастность"
      );
    }
  }

  function apply(on) {
    if (on) {
      root.classList.add(CLASS);
    } else {
      root.classList.remove(CLASS);
    }
    render(on);
  }

  apply(stored());

  function init() {
    render(root.classList.contains(CLASS));
    document.addEventListener("click", function (event) {
      var target = event.target;
      var button = target && target.closest ? target.closest("[data-site-reading-toggle]") : null;
      if (!button) {
        return;
      }
      var on = !root.classList.contains(CLASS);
      store(on);
      apply(on);
      button.focus();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
