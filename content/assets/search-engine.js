/* The portal's search engine: reads the static index written by site_builder/search/index.py.
   A query is cut into character pairs (single characters for one-character terms), the same
   way the index was made, so no word segmenter ever runs: any run of characters that is on a
   page finds that page. Exposes window.GP_SEARCH = {engine(), fold(), snippet()}. */
(function () {
  "use strict";

  var DROPPED = /[\p{P}\p{Z}\p{Cc}\p{Cf}\p{Cs}\p{Co}]/u;  // as text.py: unassigned code points are kept
  var foldCache = new Map();
  // Twin of site_builder/search/text.py `fold`: NFKC, lower case, punctuation/spaces/controls dropped.
  function foldChar(ch) {
    var out = foldCache.get(ch);
    if (out === undefined) {
      out = "";
      for (var c of ch.normalize("NFKC").toLowerCase()) { if (!DROPPED.test(c)) { out += c; } }
      foldCache.set(ch, out);
    }
    return out;
  }
  function fold(text) { var out = ""; for (var ch of text) { out += foldChar(ch); } return out; }

  /* Folded text plus, for each folded UTF-16 unit, the original range it came from. */
  function foldMap(text) {
    var folded = "", from = [], to = [], i = 0;
    for (var ch of text) {
      var f = foldChar(ch);
      for (var k = 0; k < f.length; k++) { from.push(i); to.push(i + ch.length); }
      folded += f;
      i += ch.length;
    }
    return { folded: folded, from: from, to: to };
  }

  var ROOT = new URL("../", document.currentScript ? document.currentScript.src : location.href);
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();
  function fnv1a(key) {
    var h = 0x811c9dc5;
    encoder.encode(key).forEach(function (b) { h = Math.imul(h ^ b, 0x01000193) >>> 0; });
    return h;
  }
  var FIELD_TEXT = 0, FIELD_NAME = 1, FIELD_EXACT = 2, FIELD_LINK = 3;
  var MAX_TERMS = 8, MAX_KEYS = 12;

  function fetchOk(url, init) {
    return fetch(url, init).then(function (r) {
      if (!r.ok) { throw new Error("搜索索引读取失败：" + r.status); }
      return r;
    });
  }

  function Engine(root) {
    this.base = new URL("searchindex/", root || ROOT).href;
    this.shards = new Map();
    this.docs = new Map();
    this.ready = null;
  }

  Engine.prototype.load = function () {
    var self = this;
    if (!this.ready) {
      this.ready = fetchOk(this.base + "manifest.json", { cache: "no-cache" }).then(function (r) { return r.json(); }).then(function (m) {
        var n = m.units;
        m.kindOf = new Uint8Array(n); m.provOf = new Int16Array(n); m.yearOf = new Uint16Array(n); m.pageOf = new Int32Array(n);
        m.runs.forEach(function (run, i) {
          var end = i + 1 < m.runs.length ? m.runs[i + 1][0] : n;
          m.kindOf.fill(run[1], run[0], end); m.provOf.fill(run[2], run[0], end); m.yearOf.fill(run[3], run[0], end);
        });
        for (var u = 0; u < n; u++) { m.pageOf[u] = u; }
        m.multi.forEach(function (p) { m.pageOf.fill(p[0], p[0], p[0] + p[1]); });
        m.folder = self.base + m.version + "/";
        self.m = m;
        return m;
      });
    }
    return this.ready;
  };

  Engine.prototype.shard = function (n) {
    var m = this.m;
    if (!this.shards.has(n)) {
      this.shards.set(n, fetchOk(m.folder + "s/" + n + ".bin").then(function (r) { return r.arrayBuffer(); }).then(function (buf) {
        var b = new Uint8Array(buf), i = 0, entries = new Map();
        while (i < b.length) {
          var kl = b[i++], key = decoder.decode(b.subarray(i, i + kl)); i += kl;
          var field = b[i++], enc = b[i++], len = 0, shift = 0, c;
          do { c = b[i++]; len += (c & 0x7f) * Math.pow(2, shift); shift += 7; } while (c & 0x80);
          entries.set(field + "\u0000" + key, { enc: enc, bytes: b.subarray(i, i + len) });
          i += len;
        }
        return entries;
      }));
    }
    return this.shards.get(n);
  };

  /* The units holding `key` in `field`, as a bitmap over all units (empty when absent). */
  Engine.prototype.postings = function (key, field) {
    var m = this.m;
    return this.shard(fnv1a(key) % m.shards).then(function (entries) {
      var bits = new Uint8Array((m.units + 7) >> 3), e = entries.get(field + "\u0000" + key);
      if (!e) { return bits; }
      if (e.enc === 1) { bits.set(e.bytes.subarray(0, bits.length)); return bits; }
      var view = new DataView(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength);
      for (var o = 0; o < e.bytes.byteLength; o += m.width) {
        var id = m.width === 2 ? view.getUint16(o, true) : view.getUint32(o, true);
        bits[id >> 3] |= 1 << (id & 7);
      }
      return bits;
    });
  };

  function and(a, b) { var out = new Uint8Array(a.length); for (var i = 0; i < a.length; i++) { out[i] = a[i] & b[i]; } return out; }
  function or(a, b) { var out = new Uint8Array(a.length); for (var i = 0; i < a.length; i++) { out[i] = a[i] | b[i]; } return out; }
  function has(bits, id) { return (bits[id >> 3] >> (id & 7)) & 1; }

  /* The keys looked up for one folded term: its pairs, or the character itself. Past four
     characters, pairs that tile the term (ab, cd, ef, and the last) are enough: every page
     holding the term holds them, and the text check drops the rest. Each key is a shard to
     fetch, so a 文号 of 11 characters costs 6 shards, not 10. */
  function termKeys(term) {
    var chars = Array.from(term);
    if (chars.length === 1) { return chars; }
    var keys = [];
    var step = chars.length > 4 ? 2 : 1;
    for (var i = 0; i + 1 < chars.length; i += step) { keys.push(chars[i] + chars[i + 1]); }
    var last = chars[chars.length - 2] + chars[chars.length - 1];
    if (keys[keys.length - 1] !== last) { keys.push(last); }
    if (keys.length <= MAX_KEYS) { return keys; }
    var spread = keys.length / MAX_KEYS, picked = [];
    for (var k = 0; k < MAX_KEYS; k++) { picked.push(keys[Math.floor(k * spread)]); }
    picked.push(last);
    return picked;
  }

  /* Query text → folded terms: split at spaces, each folded; empty terms (punctuation only) dropped. */
  function terms(query) {
    return String(query).split(/\s+/).map(fold).filter(function (t) { return t.length > 0; }).slice(0, MAX_TERMS);
  }

  Engine.prototype.search = function (query) {
    var self = this, ts = terms(query);
    return this.load().then(function (m) {
      if (!ts.length) { return new Result(self, ts, []); }
      var whole = ts.join("");
      var perTerm = ts.map(function (t) {
        var keys = termKeys(t);
        return Promise.all(keys.map(function (k) { return self.postings(k, FIELD_TEXT); }).concat(
          keys.map(function (k) { return self.postings(k, FIELD_NAME); })));
      });
      return Promise.all(perTerm.concat([self.postings(whole, FIELD_EXACT)])).then(function (lists) {
        var exact = lists.pop(), any = null, names = [];
        lists.forEach(function (sets) {
          var half = sets.length / 2, text = sets[0], name = sets[half];
          for (var i = 1; i < half; i++) { text = and(text, sets[i]); name = and(name, sets[half + i]); }
          var either = or(text, name);
          any = any ? and(any, either) : either;
          names.push(name);
        });
        any = or(any, exact);
        // Pages linking to an entity the query names exactly (its city, its lists, its
        // projects) lead the body matches.
        var named = [];
        for (var e = 0; e < m.units && named.length < 3; e++) {
          if (has(exact, e) && m.linked.indexOf(m.kindOf[e]) !== -1) { named.push(self.postings("@" + e, FIELD_LINK)); }
        }
        return Promise.all(named).then(function (linkSets) {
          var related = linkSets.reduce(or, new Uint8Array(any.length));
          var best = new Map();
          for (var id = 0; id < m.units; id++) {
            if (!has(any, id)) { continue; }
            var hits = 0;
            names.forEach(function (set) { hits += has(set, id); });
            var tier = has(exact, id) ? 0 : hits === names.length ? 1 : 2;
            var item = { id: id, tier: tier, hits: hits, related: has(related, id) }, page = m.pageOf[id];
            if (best.has(page)) { best.get(page).push(item); } else { best.set(page, [item]); }
          }
          // A page is ranked by its best unit; its other units stand by in case that one turns
          // out a false friend (all pairs, not adjacent) while another holds the text.
          var ranked = Array.from(best.values()).map(function (units) {
            units.sort(rank);
            return Object.assign({ others: units.slice(1) }, units[0]);
          });
          return new Result(self, ts, ranked.sort(rank));
        });
      });
    });
  };

  /* Exact name, then names holding every term, then body matches: more terms in the name
     first, pages linking to the named entity first, then the index's own order (kind,
     province, newer year, shorter title). */
  function rank(a, b) { return a.tier - b.tier || b.hits - a.hits || b.related - a.related || a.id - b.id; }

  Engine.prototype.doc = function (id) {
    if (!this.docs.has(id)) {
      this.docs.set(id, fetchOk(this.m.folder + "d/" + id + ".json").then(function (r) { return r.json(); }));
    }
    return this.docs.get(id);
  };

  Engine.prototype.suggestions = function () {
    var self = this;
    if (!this.suggest) {
      this.suggest = this.load().then(function (m) {
        return fetchOk(m.folder + "suggest.json").then(function (r) { return r.json(); });
      }).then(function (rows) {
        return rows.map(function (row) {
          return { id: row[0], kind: self.m.kinds[row[1]], province: row[2] >= 0 ? self.m.provinces[row[2]][0] : "", title: row[3], url: row[4],
            keys: [row[3]].concat(row.slice(5)).map(fold) };
        });
      });
    }
    return this.suggest;
  };

  /* Ranked candidates of one query; `take` verifies them against their text in rank order. */
  function Result(engine, ts, ranked) {
    this.engine = engine; this.terms = ts; this.ranked = ranked; this.checked = new Map();
    // Pairs are exact for terms of one or two characters; longer ones may be false friends.
    this.exact = ts.every(function (t) { return Array.from(t).length <= 2; });
  }

  Result.prototype.info = function (item) {
    var m = this.engine.m;
    return { kind: m.kinds[m.kindOf[item.id]], province: m.provOf[item.id] >= 0 ? m.provinces[m.provOf[item.id]][0] : "",
      year: m.yearOf[item.id] || null };
  };

  /* The page's first unit, in rank order, whose text holds every term; null when none does. */
  Result.prototype.verify = function (item) {
    var self = this;
    if (!this.checked.has(item.id)) {
      var units = [item].concat(item.others || []);
      var check = function (i) {
        if (i >= units.length) { return null; }
        return self.engine.doc(units[i].id).then(function (d) {
          var hay = fold(d.x) + "\u0000" + fold(d.t) + "\u0000" + (d.n || []).map(fold).join("\u0000");
          var ok = units[i].tier === 0 || self.terms.every(function (t) { return hay.indexOf(t) !== -1; });
          return ok ? { id: item.id, tier: item.tier, url: d.u, title: d.t, heading: d.h || "", text: d.x } : check(i + 1);
        });
      };
      this.checked.set(item.id, Promise.resolve(check(0)));
    }
    return this.checked.get(item.id);
  };

  /* The first `count` verified results passing `keep(info)`, fetching a batch at a time. */
  Result.prototype.take = function (count, keep) {
    var self = this, pool = this.ranked.filter(function (item) { return !keep || keep(self.info(item)); }), out = [], next = 0;
    function step() {
      if (out.length >= count || next >= pool.length) { return Promise.resolve(out.slice(0, count)); }
      var batch = pool.slice(next, next + Math.max(10, Math.min(count - out.length, 50)));
      next += batch.length;
      return Promise.all(batch.map(function (item) { return self.verify(item); })).then(function (docs) {
        docs.forEach(function (d) { if (d) { out.push(Object.assign(d, self.info(d))); } });
        return step();
      });
    }
    return step();
  };

  /* Text around the first match, as [{text, mark}] pieces (rendered as text nodes, never HTML). */
  function snippet(text, ts, width) {
    width = width || 90;
    text = text.replace(/\s+/g, " ");
    var fm = foldMap(text), first = -1;
    ts.forEach(function (t) { var at = fm.folded.indexOf(t); if (at !== -1 && (first === -1 || at < first)) { first = at; } });
    var start = first === -1 ? 0 : Math.max(0, fm.from[first] - 30);
    var end = Math.min(text.length, start + width);
    if (start > 0 && /[\udc00-\udfff]/.test(text[start])) { start -= 1; }  // never cut a surrogate pair
    if (end < text.length && /[\udc00-\udfff]/.test(text[end])) { end += 1; }
    var marks = new Uint8Array(text.length);
    ts.forEach(function (t) {
      for (var at = fm.folded.indexOf(t); at !== -1; at = fm.folded.indexOf(t, at + 1)) {
        var a = fm.from[at], z = fm.to[at + t.length - 1];
        for (var i = a; i < z; i++) { marks[i] = 1; }
      }
    });
    var pieces = [];
    for (var i = start; i < end; i++) {
      var last = pieces[pieces.length - 1], mark = marks[i] === 1;
      if (last && last.mark === mark) { last.text += text[i]; } else { pieces.push({ text: text[i], mark: mark }); }
    }
    if (start > 0) { pieces.unshift({ text: "…", mark: false }); }
    if (end < text.length) { pieces.push({ text: "…", mark: false }); }
    return pieces;
  }

  var shared = null;
  window.GP_SEARCH = {
    engine: function () { if (!shared) { shared = new Engine(); } return shared; },
    fold: fold,
    snippet: snippet,
    root: ROOT.href
  };
})();
