/*
 * Russian word forms in search.
 *
 * Material appends "*" to every query term, and lunr skips its pipeline for wildcard terms, so a
 * stemmed index can never match an inflected query. We keep the index unstemmed and shorten each
 * Russian query word to its stem instead: "наставника" -> "наставник*" finds "наставник",
 * "наставники", "наставником". The query is rewritten in the message to the search worker; what
 * the reader typed stays as it is in the search box.
 */
(function () {
  "use strict";
  var QUERY = 2; // SearchMessageType.QUERY in Material's search worker protocol
  // Inflectional endings, longest first; a stem keeps at least 4 letters.
  var ENDINGS = [
    "иями", "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ией", "ьей", "иях", "ией",
    "ая", "яя", "ое", "ее", "ые", "ие", "ый", "ий", "ой", "ую", "юю", "ых", "их", "ым", "им", "ом", "ем",
    "ах", "ях", "ам", "ям", "ов", "ев", "ей", "ью", "ия", "ии", "ию", "ть", "ся",
    "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й"
  ];

  function stem(word) {
    var lower = word.toLowerCase().replace(/ё/g, "е");
    if (!/^[а-я-]+$/.test(lower)) return word;
    for (var i = 0; i < ENDINGS.length; i++) {
      var end = ENDINGS[i];
      if (lower.length - end.length >= 4 && lower.slice(-end.length) === end)
        return lower.slice(0, -end.length);
    }
    return lower;
  }

  function rewrite(query) {
    // Leave modifiers (+word, -word, word~1, word^2) and quoted parts to Material.
    if (/["+\-~^:]/.test(query)) return query;
    return query.split(/(\s+)/).map(function (part) {
      return /\s/.test(part) || part === "" ? part : stem(part);
    }).join("");
  }

  window.__searchStemRu = stem; // exposed for tests
  if (typeof Worker === "undefined") return;
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string")
      message = { type: QUERY, data: rewrite(message.data) };
    return post.apply(this, arguments.length > 1 ? [message, arguments[1]] : [message]);
  };
})();
