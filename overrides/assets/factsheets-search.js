/* Pagefind search for the fact sheets, with an Arabic-aware query fold.
   Pagefind's Arabic stemmer already handles most variants; this closes the gaps
   (diacritics, tatweel, alef/hamza forms, alef maqsura, and the prefixes و/ف/ب/ك + ال and لل). */
(function () {
  "use strict";
  var TASHKEEL = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640]/g;
  var CONTROLS = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\u061C\uFEFF]/g;
  function foldWord(w) {
    w = w.replace(/^(?:[وفبك]ال)/, "ال").replace(/^لل(?=..)/, "ال");
    return w;
  }
  function fold(term) {
    var t = term.normalize("NFKC").replace(CONTROLS, "").replace(TASHKEEL, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064A");
    return t.split(/\s+/).map(foldWord).join(" ");
  }
  window.factsheetsFold = fold;
  var el = document.getElementById("fs-search");
  if (!el || typeof PagefindUI === "undefined") { return; }
  // The script's resolved (absolute) URL, not its attribute: Pagefind UI import()s the bundle
  // relative to its own URL, so "../../pagefind/" would miss it on English pages under /REPO/.
  var bundle = document.querySelector('script[src$="pagefind-ui.js"]').src.replace(/pagefind-ui\.js$/, "");
  // The index comes in shards (generator/publish/search.py): this bundle is the first; the
  // others, listed in its factsheets-shards.json, are merged into it (Pagefind's mergeIndex), so a
  // search covers every page of the language. Without the list (an older site): this bundle alone.
  function start(merge) {
    var ui = new PagefindUI({
      element: "#fs-search",
      bundlePath: bundle,
      mergeIndex: merge.map(function (rel) { return { bundlePath: new URL(rel, bundle).href }; }),
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      processTerm: fold,
      // Arabic result counts in a form right for every number (Pagefind has only zero/one/many;
      // its own "[COUNT] نتائج ل [TERM]" is wrong from 11 on and splits «ل» from the term)
      translations: document.documentElement.lang === "ar" ? {
        zero_results: "لا نتائج عن «[SEARCH_TERM]»",
        one_result: "النتائج: [COUNT] عن «[SEARCH_TERM]»",
        many_results: "النتائج: [COUNT] عن «[SEARCH_TERM]»",
        searching: "جارٍ البحث عن «[SEARCH_TERM]»…"
      } : undefined
    });
    // Pagefind UI labels its box with a title only (axe: label-title-only); give it a real name.
    var input = el.querySelector("input.pagefind-ui__search-input");
    if (input && !input.hasAttribute("aria-label")) {
      input.setAttribute("aria-label", input.getAttribute("placeholder") || input.getAttribute("title") || "Search");
    }
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) { ui.triggerSearch(q); }
  }
  fetch(bundle + "factsheets-shards.json")
    .then(function (r) { return r.ok ? r.json() : { merge: [] }; })
    .then(function (m) { return Array.isArray(m.merge) ? m.merge : []; }, function () { return []; })
    .then(start);
})();
