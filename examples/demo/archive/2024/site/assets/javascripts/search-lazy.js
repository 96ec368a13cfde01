/*
 * The search index only when the reader opens search.
 *
 * Material's bundle asks for search/search_index.json as soon as the page loads (0.6 MB for the
 * demo, several MB for a region), whether or not the reader searches. This script runs before the
 * bundle (inlined by templates/theme/main.html) and holds that one request until search is opened:
 * the search toggle changes, or the search box gets focus or input (Material's keyboard shortcuts
 * focus the box). Every other request goes through untouched.
 */
(function () {
  "use strict";
  var opened = false;
  var waiting = [];
  var INDEX = /\/search\/search_index\.json(\?|#|$)/;

  function open() {
    if (opened) return;
    opened = true;
    var queue = waiting;
    waiting = [];
    queue.forEach(function (run) { run(); });
  }

  // Material 9 requests the index with XMLHttpRequest: a request for it is sent once search opens.
  var XHR = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (XHR) {
    var realOpen = XHR.open;
    var realSend = XHR.send;
    XHR.open = function (method, url) {
      this.__searchIndex = INDEX.test(String(url));
      return realOpen.apply(this, arguments);
    };
    XHR.send = function () {
      if (opened || !this.__searchIndex) return realSend.apply(this, arguments);
      var self = this;
      var args = arguments;
      waiting.push(function () { realSend.apply(self, args); });
    };
  }
  // The same for fetch(), should a later version use it.
  var realFetch = window.fetch;
  if (realFetch) {
    window.fetch = function (input) {
      var url = typeof input === "string" ? input : (input && input.url) || String(input);
      if (opened || !INDEX.test(url)) return realFetch.apply(this, arguments);
      var self = this;
      var args = arguments;
      return new Promise(function (resolve, reject) {
        waiting.push(function () { realFetch.apply(self, args).then(resolve, reject); });
      });
    };
  }
  window.__searchIndexRequested = function () { return opened; }; // for the browser tests

  function watch() {
    var toggle = document.getElementById("__search");
    if (toggle) {
      if (toggle.checked) open();
      toggle.addEventListener("change", function () { if (toggle.checked) open(); });
    }
    var box = document.querySelector("[data-md-component=search-query]");
    if (box) {
      box.addEventListener("focus", open);
      box.addEventListener("input", open);
      if (document.activeElement === box) open();
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
