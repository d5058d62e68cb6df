/* In-browser search over the static export of the Whoosh index (plugins/search/export.py).
 * No dependencies, no fetch, no modules: index files are scripts that call CRSASearch.add(),
 * so the search works over HTTP and from file://.  The English page also loads Snowball's
 * generated English stemmer (vendor/snowball/), the same algorithm the index was stemmed with.  Normalisation, query terms and ranking
 * mirror plugins/search/analysis.py and scoring.py (the ranking integers come from the export),
 * and the filters (column, year), orders and phrase checks mirror index.py's search, so every
 * page of results and its total equal `python -m plugins.search`'s.  The page's state lives in
 * its URL; every map read from the export is read through own properties.  Loaded with `defer`. */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = script ? script.getAttribute("data-root") || "" : "";
  var indexBase = root + (script ? script.getAttribute("data-index") || "search/" : "search/");
  var lang = (script && script.getAttribute("data-lang")) || "zh-hans";
  var PAGE = 10;
  var FORMAT = 2;  // export.FORMAT_VERSION this script reads
  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var UNIT = new RegExp("([" + HAN + "])|((?:(?![" + HAN + "])[\\p{L}\\p{N}])+)", "gu");
  var HAN_RUN = new RegExp("[" + HAN + "]+", "gu");
  var QUOTED = /"([^"]*)"|\u201c([^\u201d]*)\u201d|\u300c([^\u300d]*)\u300d|(\S+)/g;
  var MIN_WORD = 3, MAX_WORD = 8;

  // --- loading index files with <script> tags ---------------------------------------------
  // Every map read from the search data is read through own(): a query word such as
  // "constructor" or "toString" must never find Object.prototype's members (issue 11).
  var hasOwn = Object.prototype.hasOwnProperty;
  function own(map, key) { return map != null && hasOwn.call(map, key) ? map[key] : undefined; }
  var store = Object.create(null), pending = Object.create(null);
  var api = window.CRSASearch = window.CRSASearch || {};
  api.add = function (name, data) { store[name] = data; };

  function load(name) {
    if (hasOwn.call(store, name)) { return Promise.resolve(store[name]); }
    if (hasOwn.call(pending, name)) { return pending[name]; }
    pending[name] = new Promise(function (resolve) {
      var tag = document.createElement("script");
      tag.src = indexBase + name + ".js";
      tag.async = true;
      tag.onload = function () { resolve(hasOwn.call(store, name) ? store[name] : null); };
      tag.onerror = function () { resolve(null); };
      document.head.appendChild(tag);
    });
    return pending[name];
  }

  // --- normalisation and terms (analysis.py) ------------------------------------------------
  function fnv1a(text) {
    var h = 0x811c9dc5;
    for (var ch of text) { h ^= ch.codePointAt(0); h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  // English stems come from Snowball's JavaScript English stemmer (vendor/snowball/, the same
  // Snowball version as the Python package the index was stemmed with), loaded on first use.
  var vendor = (script && script.src ? script.src.replace(/[^/]*$/, "") : "") + "vendor/snowball/";
  var stemmerPromise = null;
  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = url;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }
  function stemmer() {
    if (!stemmerPromise) {
      stemmerPromise = loadScript(vendor + "base-stemmer.js")
        .then(function () { return loadScript(vendor + "english-stemmer.js"); })
        .then(function () {
          var english = new window.EnglishStemmer();
          return function (word) { return english.stemWord(word); };
        });
    }
    return stemmerPromise;
  }

  function makeNormaliser(pairs) {
    var map = new Map();
    var chars = Array.from(pairs || "");
    for (var i = 0; i + 1 < chars.length; i += 2) { map.set(chars[i], chars[i + 1]); }
    return function (text) {
      var t = (text || "").normalize("NFKC").toLowerCase();
      if (!pairs) { return t; }
      var out = "";
      for (var ch of t) { out += map.get(ch) || ch; }
      return out;
    };
  }

  function units(norm, stem) {
    var out = [], m;
    UNIT.lastIndex = 0;
    while ((m = UNIT.exec(norm)) !== null) {
      if (m[1]) { out.push({ key: m[1], han: true, start: m.index, end: m.index + m[0].length }); }
      else { out.push({ key: stem ? stem(m[2]) : m[2], han: false, start: m.index, end: m.index + m[0].length }); }
    }
    return out;
  }

  // The fewest terms covering a segment's units (analysis.cover_terms): Han units two at a time
  // as bigrams, the odd one out as the bigram with the unit before it, else the unit itself.
  function coverTerms(us) {
    var terms = [], i = 0;
    while (i < us.length) {
      var u = us[i];
      if (u.han && i + 1 < us.length && us[i + 1].han) { terms.push(u.key + us[i + 1].key); i += 2; continue; }
      terms.push(u.han && i > 0 && us[i - 1].han ? us[i - 1].key + u.key : u.key);
      i += 1;
    }
    return terms;
  }

  function longestMatch(text, vocab) {
    var found = [], m;
    HAN_RUN.lastIndex = 0;
    while ((m = HAN_RUN.exec(text)) !== null) {
      var s = Array.from(m[0]), i = 0;
      while (i < s.length) {
        var hit = false;
        for (var j = Math.min(s.length, i + MAX_WORD); j >= i + MIN_WORD; j--) {
          var w = s.slice(i, j).join("");
          if (vocab.has(w)) { found.push(w); i = j; hit = true; break; }
        }
        if (!hit) { i += 1; }
      }
    }
    return found;
  }

  function parse(query, normalise, stem) {
    var segs = [], m;
    QUOTED.lastIndex = 0;
    while ((m = QUOTED.exec(query || "")) !== null) {
      var raw = m[1] !== undefined ? m[1] : m[2] !== undefined ? m[2] : m[3] !== undefined ? m[3] : m[4];
      var text = normalise(raw), us = units(text, stem);
      if (us.length) { segs.push({ text: text, terms: coverTerms(us), keys: us.map(function (u) { return u.key; }) }); }
    }
    return segs;
  }

  // --- the search ----------------------------------------------------------------------------
  var metaPromise = null;
  function meta() { return metaPromise || (metaPromise = load("meta")); }

  // A posting entry (export.encode_postings): ids as base-36 gaps or a "~" bitmap, weights as
  // base-32 numbers whose leading digits are flagged with +32.
  var B64 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_", B64V = Object.create(null);
  for (var b = 0; b < B64.length; b++) { B64V[B64.charAt(b)] = b; }
  function decode(entry) {
    var text = entry[0], ids = [], i, j;
    if (text.charAt(0) === "~") {
      for (i = 1; i < text.length; i++) {
        var bits = B64V[text.charAt(i)];
        for (j = 0; bits; j++, bits >>= 1) { if (bits & 1) { ids.push(6 * (i - 1) + j); } }
      }
    } else {
      var gaps = text.split(","), id = 0;
      for (i = 0; i < gaps.length; i++) { id += parseInt(gaps[i], 36); ids.push(id); }
    }
    var ws = entry[1], out = new Map(), at = 0;
    for (i = 0; i < ids.length; i++) {
      var w = 0, digit;
      do { digit = B64V[ws.charAt(at++)]; w = w * 32 + (digit & 31); } while (digit >= 32);
      out.set(ids[i], w);
    }
    return out;
  }

  // Options: column (slug or name), year ("2021"), sort ("relevance" or "date") — the same
  // filters and orders as `python -m plugins.search --column --year --sort` (index.py: search).
  function search(query, options) {
    var opts = options || {};
    return meta().then(function (m) {
      if (!m || !own(m.langs, lang)) { throw new Error("no index"); }
      // A cached search.js and a newer export (or the reverse) would decode garbage: refuse.
      if (m.version !== FORMAT) { throw new Error("index format " + m.version + ", this script reads " + FORMAT); }
      var idx = own(m.langs, lang).index, info = own(m.indexes, idx);
      if (!info) { throw new Error("no index"); }
      var hasHan = new RegExp("[" + HAN + "]", "u").test(query);
      var t2s = (idx === "zh" && hasHan) ? load("zh/t2s") : Promise.resolve(null);
      var columnNumber = opts.column ? columnIndex(m, opts.column) : -1;
      var codes = columnNumber >= 0 ? load(idx + "/c") : Promise.resolve(null);
      return Promise.all([t2s, info.stem ? stemmer() : null, codes]).then(function (loaded) {
        var normalise = makeNormaliser(loaded[0]), stem = loaded[1];
        var segs = parse(query, normalise, stem);
        var empty = { ranked: [], segs: segs, normalise: normalise, stem: stem, checked: new Map() };
        if (!segs.length) { return empty; }
        if (opts.column && columnNumber < 0) { return empty; }  // a column the index does not have
        var range = null;
        if (opts.year) { range = own(info.years, String(opts.year)); if (!range) { return empty; } }
        var vocabNames = new Set();
        if (!info.stem) {
          segs.forEach(function (s) {
            for (var ch of s.text) { if (new RegExp("[" + HAN + "]", "u").test(ch)) { vocabNames.add(idx + "/v/" + (fnv1a(ch) % info.vocab_buckets)); } }
          });
        }
        return Promise.all(Array.from(vocabNames).map(load)).then(function (lists) {
          var vocab = new Set();
          lists.forEach(function (l) { (typeof l === "string" ? l : "").split(" ").forEach(function (w) { if (w) { vocab.add(w); } }); });
          var required = [], optional = [];
          segs.forEach(function (s) { s.terms.forEach(function (t) { if (required.indexOf(t) < 0) { required.push(t); } }); });
          segs.forEach(function (s) {
            (info.stem ? [] : longestMatch(s.text, vocab)).forEach(function (w) {
              if (required.indexOf(w) < 0 && optional.indexOf(w) < 0) { optional.push(w); }
            });
          });
          var all = required.concat(optional);
          var names = Array.from(new Set(all.map(function (t) { return idx + "/p/" + (fnv1a(t) % info.buckets); })));
          function entry(t) { return own(own(store, idx + "/p/" + (fnv1a(t) % info.buckets)), t); }
          return Promise.all(names.map(load)).then(function () {
            // A big entry is a file of its own, named in the shard.
            return Promise.all(all.map(function (t) {
              var e = entry(t);
              return typeof e === "string" ? load(idx + "/t/" + e) : Promise.resolve(e);
            }));
          }).then(function (entries) {
            var lists = new Map();
            all.forEach(function (t, i) { lists.set(t, Array.isArray(entries[i]) ? decode(entries[i]) : new Map()); });
            var req = required.map(function (t) { return lists.get(t); }).sort(function (a, b) { return a.size - b.size; });
            var columns = loaded[2], code = columnNumber >= 0 ? columnCode(columnNumber, columns) : null;
            var scores = new Map();
            if (req.length && req[0].size) {
              req[0].forEach(function (w, id) {
                if (range && (id < range[0] || id >= range[1])) { return; }
                if (code !== null && (!columns || columns[id] !== code)) { return; }
                var total = 0;
                for (var i = 0; i < req.length; i++) {
                  var x = req[i].get(id);
                  if (x === undefined) { return; }
                  total += x;
                }
                scores.set(id, total);
              });
            }
            optional.forEach(function (t) {
              lists.get(t).forEach(function (w, id) { if (scores.has(id)) { scores.set(id, scores.get(id) + w); } });
            });
            // Ids are in (newest first, URL) order: the tie-break, and the whole order by date.
            var byDate = opts.sort === "date";
            var ranked = Array.from(scores.entries()).sort(function (a, b) {
              return (byDate ? 0 : b[1] - a[1]) || a[0] - b[0];
            });
            return { ranked: ranked, segs: segs, normalise: normalise, stem: stem, checked: new Map() };
          });
        });
      });
    });
  }

  function columnIndex(m, wanted) {
    var list = Array.isArray(m.columns) ? m.columns : [];
    for (var i = 0; i < list.length; i++) {
      if (list[i][1] === wanted || list[i][0] === wanted || String(list[i][1]).toLowerCase() === String(wanted).toLowerCase()) { return i; }
    }
    return -1;
  }

  // The code of column number n in <index>/c.js: a B64 digit per id (or a number, in a list).
  function columnCode(n, columns) { return typeof columns === "string" ? B64.charAt(n) : n; }

  function contains(keys, seg) {
    var n = seg.keys.length;
    outer: for (var i = 0; i + n <= keys.length; i++) {
      for (var j = 0; j < n; j++) { if (keys[i + j] !== seg.keys[j]) { continue outer; } }
      return true;
    }
    return false;
  }

  function aligned(text, normalise) {
    var whole = normalise(text);
    if (Array.from(whole).length === Array.from(text).length && whole.length === text.length) { return whole; }
    var out = "";
    for (var ch of text) { var n = normalise(ch); out += n.length === ch.length ? n : ch; }
    return out;
  }

  // Segments of several terms must occur contiguously in the title or the text (a phrase).
  function verifies(doc, result) {
    var title = units(aligned(doc[0], result.normalise), result.stem).map(function (u) { return u.key; });
    var body = units(aligned(doc[3], result.normalise), result.stem).map(function (u) { return u.key; });
    return result.segs.every(function (seg) {
      return seg.keys.length < 2 || contains(title, seg) || contains(body, seg);
    });
  }

  // As index.py: a segment of several terms (more than one bigram or word) is a phrase to check.
  function needsCheck(result) { return result.segs.some(function (s) { return s.terms.length > 1; }); }

  // The first `limit` documents of the ranking whose phrases check out, checked as the command
  // line checks them (index.py: _verified_in_rank_order): from the top, each round as many as
  // are still missing.  total: the documents found plus the candidates never checked — exact
  // once every candidate was checked (or when there is no phrase to check).
  function verified(result, limit) {
    var found = [], pos = 0, ranked = result.ranked, check = needsCheck(result);
    function step() {
      if (found.length >= limit || pos >= ranked.length) {
        var exact = !check || pos >= ranked.length;
        return Promise.resolve({ docs: found, total: exact ? (check ? found.length : ranked.length) : found.length + ranked.length - pos, exact: exact });
      }
      var batch = ranked.slice(pos, pos + Math.min(ranked.length - pos, limit - found.length));
      pos += batch.length;
      return Promise.all(batch.map(function (r) { return load(lang + "/f/" + r[0]); })).then(function (docs) {
        docs.forEach(function (doc, i) {
          if (!Array.isArray(doc)) { return; }
          var id = batch[i][0], ok = result.checked.get(id);
          if (ok === undefined) { ok = !check || verifies(doc, result); result.checked.set(id, ok); }
          if (ok) { found.push({ doc: doc, score: batch[i][1], id: id }); }
        });
        return step();
      });
    }
    return step();
  }

  // Page `number` (from 1) of `size` results, and the total.
  function page(result, number, size) {
    return verified(result, number * size).then(function (res) {
      return { docs: res.docs.slice((number - 1) * size, number * size), total: res.total, exact: res.exact };
    });
  }

  // --- excerpts ------------------------------------------------------------------------------
  function matchSpans(text, result) {
    var norm = aligned(text, result.normalise), us = units(norm, result.stem), keys = us.map(function (u) { return u.key; });
    var spans = [];
    result.segs.forEach(function (seg) {
      var n = seg.keys.length;
      for (var i = 0; i + n <= keys.length; i++) {
        var ok = true;
        for (var j = 0; j < n; j++) { if (keys[i + j] !== seg.keys[j]) { ok = false; break; } }
        if (ok) { spans.push([us[i].start, us[i + n - 1].end]); }
      }
    });
    return spans.sort(function (a, b) { return a[0] - b[0]; });
  }

  // A cut moved off the middle of a Latin word or a number (query.py: word_boundary).
  var RUN_CHAR = new RegExp("^(?![" + HAN + "])[\\p{L}\\p{N}]", "u"), WORD_CUT_MAX = 20;
  function wordBoundary(text, at, keep, forward) {
    function run(i) { return i >= 0 && i < text.length && RUN_CHAR.test(text.slice(i, i + 2)); }
    if (!(at > 0 && at < text.length && run(at - 1) && run(at))) { return at; }
    var back = at, ahead = at;
    while (back > 0 && run(back - 1) && at - back < WORD_CUT_MAX) { back--; }
    var backOk = back === 0 || !run(back - 1);
    while (ahead < text.length && run(ahead) && ahead - at < WORD_CUT_MAX) { ahead++; }
    var aheadOk = ahead === text.length || !run(ahead);
    if (!forward) {
      if (backOk) { return back; }
      if (aheadOk && ahead <= keep) { return ahead; }
    } else {
      if (backOk && back >= keep) { return back; }
      if (aheadOk) { return ahead; }
    }
    return at;
  }

  function excerpt(text, result, width) {
    text = (text || "").replace(/\s+/g, " ").trim();
    var spans = matchSpans(text, result);
    if (!spans.length) {
      var cut = wordBoundary(text, Math.min(text.length, width), 0, true);
      return { text: text.slice(0, cut), marks: [], after: cut < text.length };
    }
    var start = wordBoundary(text, Math.max(0, spans[0][0] - Math.floor(width / 3)), spans[0][0], false);
    var end = wordBoundary(text, Math.min(text.length, start + width), spans[0][1], true);
    var marks = spans.filter(function (s) { return s[0] < end && s[1] > start; })
      .map(function (s) { return [Math.max(s[0], start) - start, Math.min(s[1], end) - start]; });
    return { text: text.slice(start, end), marks: marks, before: start > 0, after: end < text.length };
  }

  // The words a document matched, as written in it (繁體, English inflections…): the article
  // page marks these (?highlight=, theme/static/js/highlight.js).
  var HIGHLIGHT_MAX = 8;
  function matchedWords(doc, result) {
    var words = [];
    [doc[0], doc[3]].forEach(function (text) {
      text = text || "";
      matchSpans(text, result).forEach(function (s) {
        var w = text.slice(s[0], s[1]);
        if (words.length < HIGHLIGHT_MAX && words.indexOf(w) < 0) { words.push(w); }
      });
    });
    return words;
  }

  function highlighted(node, ex) {
    if (ex.before) { node.appendChild(document.createTextNode("…")); }
    var last = 0;
    ex.marks.forEach(function (m) {
      if (m[0] < last) { return; }
      node.appendChild(document.createTextNode(ex.text.slice(last, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = ex.text.slice(m[0], m[1]);
      node.appendChild(mark);
      last = m[1];
    });
    node.appendChild(document.createTextNode(ex.text.slice(last)));
    if (ex.after) { node.appendChild(document.createTextNode("…")); }
  }

  // --- the page ------------------------------------------------------------------------------
  // The state of the page lives in its URL (?q=&column=&year=&sort=&page=): reload, Back and a
  // shared link show the same results; the scroll position is kept in history.state.
  function readState(search) {
    var p = new URLSearchParams(search || "");
    var n = parseInt(p.get("page") || "1", 10);
    return { q: (p.get("q") || "").trim(), column: (p.get("column") || "").trim(), year: (p.get("year") || "").trim(),
             sort: p.get("sort") === "date" ? "date" : "relevance", page: n >= 1 && n < 1e6 ? n : 1 };
  }

  function queryString(state) {
    var p = new URLSearchParams();
    if (state.q) { p.set("q", state.q); }
    if (state.column) { p.set("column", state.column); }
    if (state.year) { p.set("year", state.year); }
    if (state.sort === "date") { p.set("sort", "date"); }
    if (state.page > 1) { p.set("page", String(state.page)); }
    var text = p.toString();
    return text ? "?" + text : "";
  }

  function withChanges(state, changes) {
    var out = {};
    Object.keys(state).forEach(function (k) { out[k] = state[k]; });
    Object.keys(changes).forEach(function (k) { out[k] = changes[k]; });
    return out;
  }

  function setUp() {
    var form = document.querySelector("[data-search-form]");
    var list = document.querySelector("[data-search-results]");
    var status = document.querySelector("[data-search-status]");
    var pager = document.querySelector("[data-search-pages]");
    if (!form || !list || !status) { return; }
    var input = form.querySelector("input[name=q]");
    var fields = { column: form.querySelector("[name=column]"), year: form.querySelector("[name=year]"),
                   sort: form.querySelector("[name=sort]") };
    var msgs = status.dataset;
    var size = parseInt(list.getAttribute("data-page-size") || "", 10) || PAGE;
    var state = readState(window.location.search), generation = 0, timer = null, cached = { key: null, result: null };
    if ("scrollRestoration" in window.history) { window.history.scrollRestoration = "manual"; }

    function say(template, values) {
      var text = template || "";
      Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
      status.textContent = text;
    }

    function fillYears(m) {
      var info = m && own(m.langs, lang) ? own(m.indexes, own(m.langs, lang).index) : null;
      if (!fields.year || !info || !info.years) { return; }
      Object.keys(info.years).filter(function (y) { return hasOwn.call(info.years, y); })
        .sort(function (a, b) { return b - a; }).forEach(function (year) {
          var option = document.createElement("option");
          option.value = year;
          option.textContent = year;
          fields.year.appendChild(option);
        });
    }

    function syncForm() {
      // Not while typing: "酒后 " (a space before the next word) is the query "酒后" already.
      if (input.value.trim() !== state.q) { input.value = state.q; }
      Object.keys(fields).forEach(function (name) {
        var field = fields[name];
        if (!field) { return; }
        var value = name === "sort" ? state.sort : state[name];
        // A value the list does not offer (a year with no articles) is shown, and finds nothing.
        if (value && !Array.prototype.some.call(field.options, function (o) { return o.value === value; })) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value;
          field.appendChild(option);
        }
        field.value = value;
      });
    }

    // The 简/繁/EN links keep the query and filters (not the page: another language has other results).
    function updateToggle() {
      document.querySelectorAll(".lang-toggle a[href]").forEach(function (a) {
        var base = a.getAttribute("href").split(/[?#]/)[0];
        a.setAttribute("href", base + queryString(withChanges(state, { page: 1 })));
      });
    }

    function saveScroll() {
      if (restoring) { return; }
      try { window.history.replaceState({ scroll: window.scrollY }, "", window.location.href); } catch (e) { /* ignore */ }
    }

    // Back to a saved position. The page may still grow (web fonts, images): a position past its end
    // is clamped now, so it is applied again once the fonts and the page have loaded, and the scroll
    // events of the restoring are not saved as the reader's position.
    var restoring = false;
    function restoreScroll(y) {
      restoring = true;
      var apply = function () { window.scrollTo(0, y); };
      var done = function () {
        apply();
        window.setTimeout(function () { apply(); restoring = false; }, 300);
      };
      apply();
      if (document.readyState !== "complete") { window.addEventListener("load", apply, { once: true }); }
      if (document.fonts && document.fonts.ready) { document.fonts.ready.then(done, done); } else { done(); }
    }

    function go(next, mode) {
      state = next;
      var url = window.location.href.split(/[?#]/)[0] + queryString(state);
      try {
        if (mode === "push") { window.history.pushState({}, "", url); } else { window.history.replaceState({}, "", url); }
      } catch (e) {
        if (mode === "push") { window.location.assign(url); return; }  // a browser that refuses (file://)
      }
      updateToggle();
      run(mode === "push");
    }

    function resultLink(doc, result) {
      var words = matchedWords(doc, result), p = new URLSearchParams();
      words.forEach(function (w) { p.append("highlight", w); });
      return root + doc[1] + (words.length ? "?" + p.toString() : "");
    }

    function render(docs, result) {
      docs.forEach(function (item) {
        var doc = item.doc, li = document.createElement("li");
        li.className = "news-list__item search-result";
        var time = document.createElement("time");
        time.className = "news-list__date";
        time.dateTime = doc[2];
        time.textContent = doc[2];
        var body = document.createElement("div");
        body.className = "search-result__body";
        var a = document.createElement("a");
        a.className = "news-list__title search-result__title";
        a.href = resultLink(doc, result);
        a.addEventListener("click", saveScroll);
        highlighted(a, { text: doc[0], marks: excerpt(doc[0], result, 1000).marks });
        var p = document.createElement("p");
        p.className = "search-result__excerpt";
        highlighted(p, excerpt(doc[3], result, 110));
        body.appendChild(a);
        body.appendChild(p);
        li.appendChild(time);
        li.appendChild(body);
        list.appendChild(li);
      });
    }

    // Numbered pages: the first, the last, and two on each side of the current one.
    function renderPager(total) {
      if (!pager) { return; }
      pager.textContent = "";
      var last = Math.max(1, Math.ceil(total / size));
      pager.hidden = last <= 1;
      if (last <= 1) { return; }
      var ul = document.createElement("ul");
      ul.className = "search-pages__list";
      function item(label, number, rel) {
        var li = document.createElement("li"), node;
        if (number === state.page && !rel) {
          node = document.createElement("span");
          node.setAttribute("aria-current", "page");
          node.className = "search-pages__current";
        } else {
          node = document.createElement("a");
          node.href = queryString(withChanges(state, { page: number })) || "?";
          if (rel) { node.rel = rel; }
          node.addEventListener("click", function (event) {
            event.preventDefault();
            go(withChanges(state, { page: number }), "push");
          });
        }
        node.textContent = label;
        if (!rel) { node.setAttribute("aria-label", (pager.dataset.pageLabel || "{page}").split("{page}").join(String(number))); }
        li.appendChild(node);
        ul.appendChild(li);
      }
      function gap() {
        var li = document.createElement("li");
        li.className = "search-pages__gap";
        li.textContent = "…";
        ul.appendChild(li);
      }
      if (state.page > 1) { item(pager.dataset.prev || "‹", state.page - 1, "prev"); }
      var shown = 0;
      for (var n = 1; n <= last; n++) {
        if (n === 1 || n === last || Math.abs(n - state.page) <= 2) { if (shown && n > shown + 1) { gap(); } item(String(n), n); shown = n; }
      }
      if (state.page < last) { item(pager.dataset.next || "›", state.page + 1, "next"); }
      pager.appendChild(ul);
    }

    function run(moved) {
      var mine = ++generation, wanted = state;
      syncForm();
      list.textContent = "";
      if (pager) { pager.hidden = true; pager.textContent = ""; }
      form.removeAttribute("data-search-done");
      delete status.dataset.total;
      delete status.dataset.exact;
      if (!wanted.q) { status.textContent = msgs.empty || ""; return; }
      say(msgs.loading);
      var key = JSON.stringify([wanted.q, wanted.column, wanted.year, wanted.sort]);
      var found = cached.key === key ? Promise.resolve(cached.result) : search(wanted.q, wanted).then(function (result) {
        cached = { key: key, result: result };
        return result;
      });
      found.then(function (result) {
        if (mine !== generation) { return; }
        // No page past what the candidates could fill (?page=99999 checks nothing in vain).
        var most = Math.max(1, Math.ceil(result.ranked.length / size));
        if (wanted.page > most) { go(withChanges(wanted, { page: most }), "replace"); return; }
        return page(result, wanted.page, size).then(function (res) {
          if (mine !== generation) { return; }
          if (!res.docs.length && res.total && wanted.page > 1) {
            // Past the last page (a stale link, or a bound that the check brought down): show the last.
            go(withChanges(wanted, { page: Math.max(1, Math.ceil(res.total / size)) }), "replace");
            return;
          }
          render(res.docs, result);
          var from = (wanted.page - 1) * size + 1, to = from + res.docs.length - 1;
          status.dataset.total = String(res.total);
          status.dataset.exact = String(res.exact);
          if (!res.total) { say(msgs.none, { query: wanted.q }); }
          else if (res.total === 1 && msgs.foundOne) { say(msgs.foundOne); }  // not "1 articles"
          else { say(res.exact ? msgs.found : msgs.foundBound, { count: res.total, from: from, to: to }); }
          renderPager(res.total);
          api.lastQuery = { query: wanted.q, results: res.docs.length, total: res.total, exact: res.exact, done: true };
          form.setAttribute("data-search-done", String(mine));
          var saved = window.history.state;
          if (saved && typeof saved.scroll === "number") { restoreScroll(saved.scroll); }
          else if (moved && wanted.page > 1) { status.scrollIntoView({ block: "start" }); }
        });
      }).catch(function () { if (mine === generation) { say(msgs.error); } });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      go(withChanges(state, { q: input.value.trim(), page: 1 }), "push");
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { go(withChanges(state, { q: input.value.trim(), page: 1 }), "replace"); }, 200);
    });
    Object.keys(fields).forEach(function (name) {
      if (!fields[name]) { return; }
      fields[name].addEventListener("change", function () {
        var changes = { page: 1, q: input.value.trim() };
        changes[name] = fields[name].value;
        go(withChanges(state, changes), "push");
      });
    });
    window.addEventListener("popstate", function () {
      state = readState(window.location.search);
      updateToggle();
      run(false);
    });
    var scrollTimer = null;
    window.addEventListener("scroll", function () {
      clearTimeout(scrollTimer);
      scrollTimer = setTimeout(saveScroll, 250);
    }, { passive: true });
    window.addEventListener("pagehide", saveScroll);
    // Arrow keys move between the search field and the results.
    form.parentNode.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
      if (event.target && event.target.tagName === "SELECT") { return; }
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      if (!links.length) { return; }
      var i = links.indexOf(document.activeElement);
      if (document.activeElement === input) { i = -1; }
      else if (i < 0) { return; }
      event.preventDefault();
      if (event.key === "ArrowDown") { links[Math.min(i + 1, links.length - 1)].focus(); }
      else if (i <= 0) { input.focus(); }
      else { links[i - 1].focus(); }
    });
    updateToggle();
    syncForm();
    meta().then(fillYears, function () { return null; }).then(function () { syncForm(); run(false); });
  }

  api.search = search;
  // Stems of English words, as queries are stemmed (used by the test that compares with Python).
  api.stem = function (words) { return stemmer().then(function (s) { return words.map(s); }); };
  // The top `count` results as [url, score] pairs (used by the tests that compare with the CLI).
  api.top = function (query, count, options) {
    return api.page(query, options, 1, count || PAGE).then(function (res) { return res.results; });
  };
  // Page `number` of `size` results with the filters of `options`: {results: [[url, score]…],
  // total, exact} — what `python -m plugins.search --page --limit` prints.
  api.page = function (query, options, number, size) {
    return search(query, options).then(function (result) { return page(result, number || 1, size || PAGE); })
      .then(function (res) {
        return { results: res.docs.map(function (d) { return [d.doc[1], d.score]; }), total: res.total, exact: res.exact };
      });
  };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); } else { setUp(); }
})();
