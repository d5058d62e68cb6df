/* In-browser search over the static export of the Whoosh index (plugins/search/export.py).
 * No dependencies, no fetch, no modules: index files are scripts that call CRSASearch.add(),
 * so the search works over HTTP and from file://.  The English page also loads Snowball's
 * generated English stemmer (vendor/snowball/), the same algorithm the index was stemmed with.  Normalisation, query terms and ranking
 * mirror plugins/search/analysis.py and scoring.py (the ranking integers come from the export),
 * so the browser's top 10 equals `python -m plugins.search`'s.  Loaded with `defer`. */
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
  var store = {}, pending = {};
  var api = window.CRSASearch = window.CRSASearch || {};
  api.add = function (name, data) { store[name] = data; };

  function load(name) {
    if (Object.prototype.hasOwnProperty.call(store, name)) { return Promise.resolve(store[name]); }
    if (pending[name]) { return pending[name]; }
    pending[name] = new Promise(function (resolve) {
      var tag = document.createElement("script");
      tag.src = indexBase + name + ".js";
      tag.async = true;
      tag.onload = function () { resolve(Object.prototype.hasOwnProperty.call(store, name) ? store[name] : null); };
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
    var map = {};
    var chars = Array.from(pairs || "");
    for (var i = 0; i + 1 < chars.length; i += 2) { map[chars[i]] = chars[i + 1]; }
    return function (text) {
      var t = (text || "").normalize("NFKC").toLowerCase();
      if (!pairs) { return t; }
      var out = "";
      for (var ch of t) { out += map[ch] || ch; }
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
  var B64 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_", B64V = {};
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

  function search(query) {
    return meta().then(function (m) {
      if (!m || !m.langs[lang]) { throw new Error("no index"); }
      // A cached search.js and a newer export (or the reverse) would decode garbage: refuse.
      if (m.version !== FORMAT) { throw new Error("index format " + m.version + ", this script reads " + FORMAT); }
      var idx = m.langs[lang].index, info = m.indexes[idx];
      var hasHan = new RegExp("[" + HAN + "]", "u").test(query);
      var t2s = (idx === "zh" && hasHan) ? load("zh/t2s") : Promise.resolve(null);
      return Promise.all([t2s, info.stem ? stemmer() : null]).then(function (loaded) {
        var normalise = makeNormaliser(loaded[0]), stem = loaded[1];
        var segs = parse(query, normalise, stem);
        if (!segs.length) { return { ranked: [], segs: segs, normalise: normalise, stem: stem }; }
        var vocabNames = new Set();
        if (!info.stem) {
          segs.forEach(function (s) {
            for (var ch of s.text) { if (new RegExp("[" + HAN + "]", "u").test(ch)) { vocabNames.add(idx + "/v/" + (fnv1a(ch) % info.vocab_buckets)); } }
          });
        }
        return Promise.all(Array.from(vocabNames).map(load)).then(function (lists) {
          var vocab = new Set();
          lists.forEach(function (l) { (l || "").split(" ").forEach(function (w) { if (w) { vocab.add(w); } }); });
          var required = [], optional = [];
          segs.forEach(function (s) { s.terms.forEach(function (t) { if (required.indexOf(t) < 0) { required.push(t); } }); });
          segs.forEach(function (s) {
            (info.stem ? [] : longestMatch(s.text, vocab)).forEach(function (w) {
              if (required.indexOf(w) < 0 && optional.indexOf(w) < 0) { optional.push(w); }
            });
          });
          var all = required.concat(optional);
          var names = Array.from(new Set(all.map(function (t) { return idx + "/p/" + (fnv1a(t) % info.buckets); })));
          function entry(t) { return (store[idx + "/p/" + (fnv1a(t) % info.buckets)] || {})[t]; }
          return Promise.all(names.map(load)).then(function () {
            // A big entry is a file of its own, named in the shard.
            return Promise.all(all.map(function (t) {
              var e = entry(t);
              return typeof e === "string" ? load(idx + "/t/" + e) : Promise.resolve(e);
            }));
          }).then(function (entries) {
            var lists = {};
            all.forEach(function (t, i) { lists[t] = entries[i] ? decode(entries[i]) : new Map(); });
            var req = required.map(function (t) { return lists[t]; }).sort(function (a, b) { return a.size - b.size; });
            var scores = new Map();
            if (req.length && req[0].size) {
              req[0].forEach(function (w, id) {
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
              lists[t].forEach(function (w, id) { if (scores.has(id)) { scores.set(id, scores.get(id) + w); } });
            });
            var ranked = Array.from(scores.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
            return { ranked: ranked, segs: segs, normalise: normalise, stem: stem };
          });
        });
      });
    });
  }

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

  function needsCheck(result) { return result.segs.some(function (s) { return s.keys.length > 1; }); }

  // The next `count` verified documents from position `from` of the ranking.
  function page(result, from, count) {
    var shown = [], pos = from;
    function step() {
      if (shown.length >= count || pos >= result.ranked.length) { return Promise.resolve({ docs: shown, next: pos }); }
      var batch = result.ranked.slice(pos, pos + (count - shown.length));
      pos += batch.length;
      return Promise.all(batch.map(function (r) { return load(lang + "/f/" + r[0]); })).then(function (docs) {
        docs.forEach(function (doc, i) {
          if (doc && (!needsCheck(result) || verifies(doc, result))) { shown.push({ doc: doc, score: batch[i][1] }); }
        });
        return step();
      });
    }
    return step();
  }

  // --- excerpts ------------------------------------------------------------------------------
  function excerpt(text, result, width) {
    text = (text || "").replace(/\s+/g, " ").trim();
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
    spans.sort(function (a, b) { return a[0] - b[0]; });
    if (!spans.length) { return { text: text.slice(0, width) + (text.length > width ? "…" : ""), marks: [] }; }
    var start = Math.max(0, spans[0][0] - Math.floor(width / 3)), end = Math.min(text.length, start + width);
    var marks = spans.filter(function (s) { return s[0] < end && s[1] > start; })
      .map(function (s) { return [Math.max(s[0], start) - start, Math.min(s[1], end) - start]; });
    return { text: text.slice(start, end), marks: marks, before: start > 0, after: end < text.length };
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
  function setUp() {
    var form = document.querySelector("[data-search-form]");
    var list = document.querySelector("[data-search-results]");
    var status = document.querySelector("[data-search-status]");
    var more = document.querySelector("[data-search-more]");
    if (!form || !list || !status) { return; }
    var input = form.querySelector("input[name=q]");
    var msgs = status.dataset;
    var current = null, next = 0, generation = 0, timer = null;

    function say(template, values) {
      var text = template || "";
      Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
      status.textContent = text;
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
        a.href = root + doc[1];
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

    function showMore(mine) {
      return page(current, next, PAGE).then(function (res) {
        if (mine !== generation) { return; }
        next = res.next;
        render(res.docs, current);
        var shown = list.children.length;
        if (!shown) { say(msgs.none, { query: input.value.trim() }); }
        else if (needsCheck(current)) { say(msgs.some, { count: shown }); }
        else { say(msgs.count, { count: current.ranked.length, shown: shown }); }
        if (more) { more.hidden = next >= current.ranked.length; }
        api.lastQuery = { query: input.value, results: shown, done: true };
        form.setAttribute("data-search-done", String(mine));
      });
    }

    function run() {
      var q = input.value.trim(), mine = ++generation;
      list.textContent = "";
      if (more) { more.hidden = true; }
      form.removeAttribute("data-search-done");
      if (!q) { status.textContent = msgs.empty || ""; return; }
      say(msgs.loading);
      search(q).then(function (result) {
        if (mine !== generation) { return; }
        current = result; next = 0;
        return showMore(mine);
      }).catch(function () { if (mine === generation) { say(msgs.error); } });
      try {
        var url = new URL(window.location.href);
        url.searchParams.set("q", q);
        window.history.replaceState(null, "", url.href);
      } catch (e) { /* file:// may refuse; the search still works */ }
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
    if (more) {
      more.addEventListener("click", function () {
        var first = list.children.length;
        showMore(generation).then(function () {
          var link = list.children[first] && list.children[first].querySelector("a");
          if (link) { link.focus(); }
        });
      });
    }
    // Arrow keys move between the search field and the results.
    form.parentNode.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
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
    var params = new URLSearchParams(window.location.search);
    if (params.get("q")) { input.value = params.get("q"); run(); }
  }

  api.search = search;
  // Stems of English words, as queries are stemmed (used by the test that compares with Python).
  api.stem = function (words) { return stemmer().then(function (s) { return words.map(s); }); };
  // The top `count` results as [url, score] pairs (used by the tests that compare with the CLI).
  api.top = function (query, count) {
    return search(query).then(function (result) { return page(result, 0, count || PAGE); })
      .then(function (res) { return res.docs.map(function (d) { return [d.doc[1], d.score]; }); });
  };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); } else { setUp(); }
})();
