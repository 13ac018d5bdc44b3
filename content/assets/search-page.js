/* The results page (/search/?q=…&kind=…&province=…&year=…): ranked results with kind, province,
   year and a highlighted snippet; filters; keyboard navigation; closest names when nothing
   matches. window.portalSearch(query) is the function it searches with, for tests and tools. */
(function () {
  "use strict";
  var S = window.GP_SEARCH;
  var root = document.getElementById("gp-search-page");
  if (!S || !root) { return; }
  var PAGE = 20;
  var engine = S.engine();

  /* Every matching page as {url, title}, in rank order. */
  window.portalSearch = function (query) {
    return engine.search(query).then(function (result) { return result.take(Infinity); }).then(function (items) {
      return items.map(function (d) { return { url: new URL(d.url.replace(/^\//, ""), S.root).pathname + new URL(d.url, location.origin).hash, title: d.title }; });
    });
  };

  var form = root.querySelector("form"), input = form.elements.q, status = root.querySelector(".gp-search-status");
  var facets = root.querySelector(".gp-facets"), list = root.querySelector(".gp-results"), more = root.querySelector(".gp-more");
  var empty = root.querySelector(".gp-noresults");
  var state = { q: "", kind: "", province: "", year: "", shown: PAGE }, current = null, run = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  /* Whether a result passes the filters, `ignored` (one of kind/province/year) left out. */
  function keep(info, ignored) {
    return ["kind", "province", "year"].every(function (f) { return f === ignored || !state[f] || String(info[f]) === state[f]; });
  }
  function readUrl() {
    var p = new URLSearchParams(location.search);
    state.q = (p.get("q") || "").slice(0, 1000);
    state.kind = p.get("kind") || ""; state.province = p.get("province") || ""; state.year = p.get("year") || "";
    state.shown = PAGE;
    input.value = state.q;
  }
  function writeUrl(push) {
    var p = new URLSearchParams();
    ["q", "kind", "province", "year"].forEach(function (k) { if (state[k]) { p.set(k, state[k]); } });
    var url = location.pathname + (p.toString() ? "?" + p : "");
    if (push) { history.pushState(null, "", url); } else { history.replaceState(null, "", url); }
    document.title = (state.q ? state.q + " - " : "") + "搜索 - 国培计划信息门户";
  }

  function renderItem(d, terms) {
    var li = el("li", "gp-result"), a = el("a", "gp-result-link");
    a.href = S.href({ url: d.url });
    a.append(el("span", "gp-kind", d.kind), el("span", "gp-result-title", d.title));
    var meta = [d.province, d.year ? d.year + " 年" : "", d.heading].filter(Boolean).join(" · ");
    li.appendChild(a);
    if (meta) { li.appendChild(el("p", "gp-result-meta", meta)); }
    var p = el("p", "gp-result-snippet");
    S.snippet(d.text, terms).forEach(function (piece) { p.appendChild(piece.mark ? el("mark", "", piece.text) : document.createTextNode(piece.text)); });
    li.appendChild(p);
    return li;
  }

  function select(name, label, values) {
    var wrap = el("label", "gp-facet"), s = el("select");
    s.name = name;
    wrap.append(el("span", "", label), s);
    s.appendChild(new Option("全部", ""));
    values.forEach(function (v) { s.appendChild(new Option(v[0] + "（" + v[1] + "）", String(v[0]))); });
    s.value = state[name];
    s.addEventListener("change", function () { state[name] = s.value; state.shown = PAGE; writeUrl(true); show(); });
    return wrap;
  }

  /* Results per value of `field` under the other filters: what choosing that value would give. */
  function counts(result, field) {
    var c = new Map();
    result.ranked.forEach(function (item) {
      var info = result.info(item);
      if (keep(info, field) && info[field]) { c.set(info[field], (c.get(info[field]) || 0) + 1); }
    });
    return c;
  }

  /* The filters are drawn anew after each change: the control that had focus gets it back. */
  function focusedFacet() {
    var at = document.activeElement;
    if (!at || !facets.contains(at)) { return null; }
    return at.dataset.kind !== undefined ? '[data-kind="' + CSS.escape(at.dataset.kind) + '"]' : at.name ? 'select[name="' + at.name + '"]' : null;
  }

  function renderFacets(result) {
    var refocus = focusedFacet();
    drawFacets(result);
    var again = refocus && facets.querySelector(refocus);
    if (again) { again.focus(); }
  }

  function drawFacets(result) {
    facets.replaceChildren();
    if (!result.ranked.length) { return; }
    var kinds = counts(result, "kind"), group = el("div", "gp-kind-filter");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "按类型筛选");
    [["", "全部"]].concat(engine.m.kinds.filter(function (k) { return kinds.has(k); }).map(function (k) { return [k, k + " " + kinds.get(k)]; }))
      .forEach(function (pair) {
        var b = el("button", "gp-kind-button", pair[1]);
        b.type = "button";
        b.dataset.kind = pair[0];
        b.setAttribute("aria-pressed", state.kind === pair[0] ? "true" : "false");
        b.addEventListener("click", function () { state.kind = pair[0]; state.shown = PAGE; writeUrl(true); show(); });
        group.appendChild(b);
      });
    facets.appendChild(group);
    var provinces = Array.from(counts(result, "province")).sort(function (a, b) { return b[1] - a[1]; });
    var years = Array.from(counts(result, "year")).sort(function (a, b) { return b[0] - a[0]; });
    if (provinces.length > 1 || state.province) { facets.appendChild(select("province", "省份", provinces)); }
    if (years.length > 1 || state.year) { facets.appendChild(select("year", "年度", years)); }
  }

  function renderEmpty(query) {
    empty.hidden = false;
    var box = empty.querySelector(".gp-closest");
    box.replaceChildren();
    engine.suggestions().then(function (entries) {
      var near = S.closest(entries, query, 8);
      if (!near.length) { return; }
      box.appendChild(el("p", "", "您要找的是不是："));
      var ul = el("ul", "gp-closest-list");
      near.forEach(function (e) {
        var li = el("li"), a = el("a", "", e.title);
        a.href = S.href(e);
        li.append(el("span", "gp-kind", e.kind), a, el("span", "gp-suggest-where", e.province));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }).catch(function () {});
    var links = empty.querySelector(".gp-browse-provinces");
    links.replaceChildren();
    engine.m.provinces.forEach(function (p) {
      if (!p[1]) { return; }
      if (links.childNodes.length) { links.appendChild(document.createTextNode("、")); }
      var a = el("a", "", p[0]);
      a.href = new URL("projects/" + p[1] + "/", S.root).href;
      links.appendChild(a);
    });
  }

  function show() {
    var mine = ++run, result = current;
    root.dataset.state = "busy";
    list.replaceChildren();
    more.hidden = true;
    empty.hidden = true;
    if (!result.terms.length) {
      status.textContent = state.q ? "请输入要查找的文字（标点符号不参与搜索）。" : "输入项目名称、县名、承训单位或文号进行搜索。";
      facets.replaceChildren();
      if (state.q) { renderEmpty(state.q); }
      root.dataset.state = "done";
      return Promise.resolve();
    }
    renderFacets(result);
    var pool = result.ranked.filter(function (item) { return keep(result.info(item)); });
    // Pairs are exact for short terms: the candidates are the answer. Otherwise a small pool is
    // verified whole for an exact count; a large one is counted as "about".
    var counted = result.exact || pool.length <= 60;
    status.textContent = "正在搜索…";
    return result.take(result.exact ? state.shown : Math.max(counted ? pool.length : 0, state.shown), keep).then(function (items) {
      if (mine !== run) { return; }
      var total = result.exact ? pool.length : counted ? items.length : pool.length;
      if (!items.length) {
        status.textContent = "没有找到包含“" + state.q + "”的页面" + (state.kind || state.province || state.year ? "（已按筛选条件过滤）" : "") + "。";
        renderEmpty(state.q);
        root.dataset.state = "done";
        return;
      }
      status.textContent = (counted ? "找到 " : "约 ") + total + " 个页面";
      items.slice(0, state.shown).forEach(function (d) { list.appendChild(renderItem(d, result.terms)); });
      more.hidden = total <= state.shown || items.length < state.shown;
      root.dataset.state = "done";
    });
  }

  function searchNow(push) {
    root.dataset.state = "busy";
    writeUrl(push);
    return engine.search(state.q).then(function (result) { current = result; return show(); }).catch(function (error) {
      status.textContent = "搜索暂时不可用：" + error.message + "。可从上方栏目浏览。";
      root.dataset.state = "done";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    state.q = input.value.slice(0, 1000);
    state.kind = state.province = state.year = "";
    state.shown = PAGE;
    searchNow(true);
  });
  more.addEventListener("click", function () { state.shown += PAGE; show(); });
  window.addEventListener("popstate", function () { readUrl(); searchNow(false); });

  /* Arrow keys walk from the box through the results; Home/End jump. */
  root.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(list.querySelectorAll(".gp-result-link"));
    if (!links.length || ["ArrowDown", "ArrowUp"].indexOf(event.key) === -1) { return; }
    if (event.target === input && input.getAttribute("aria-expanded") === "true") { return; }
    var at = links.indexOf(document.activeElement);
    if (event.target !== input && at === -1) { return; }
    event.preventDefault();
    var next = event.key === "ArrowDown" ? at + 1 : at - 1;
    if (next < 0) { input.focus(); } else { links[Math.min(next, links.length - 1)].focus(); }
  });

  S.attach(form, input);
  readUrl();
  searchNow(false);
  if (!state.q) { input.focus(); }
})();
