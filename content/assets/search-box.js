/* The search box in the header of every page (site and forms), with entity suggestions as
   one types: 县, 市, 名单, 承训单位, 文件, by name, former name, alias, pinyin or initials.
   A combobox in the WAI-ARIA pattern; Enter without a chosen suggestion opens the results page. */
(function () {
  "use strict";
  var S = window.GP_SEARCH;
  if (!S) { return; }
  var KIND_ORDER = ["县", "市", "名单", "承训单位", "文件"];
  var LIMIT = 8;

  /* Suggestions for `query`: exact name, then names starting with it, then names holding it;
     shorter names first (赣州市 before 赣州市经济技术开发区), then by kind. */
  function suggest(entries, query) {
    var q = S.fold(query);
    if (!q) { return []; }
    var scored = [];
    entries.forEach(function (e) {
      var best = 9;
      e.keys.forEach(function (k) {
        var s = k === q ? 0 : k.indexOf(q) === 0 ? 1 : k.indexOf(q) !== -1 ? 2 : 9;
        if (s < best) { best = s; }
      });
      if (best < 9) { scored.push([best, e.title.length, KIND_ORDER.indexOf(e.kind), e]); }
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return scored.slice(0, LIMIT).map(function (s) { return s[3]; });
  }

  /* Entities sharing the most characters with `query`: what a no-result page offers instead. */
  function closest(entries, query, limit) {
    var chars = new Set(Array.from(S.fold(query)));
    if (!chars.size) { return []; }
    var scored = [];
    entries.forEach(function (e) {
      var best = 0;
      e.keys.forEach(function (k) {
        var n = 0;
        new Set(Array.from(k)).forEach(function (c) { if (chars.has(c)) { n += 1; } });
        if (n > best) { best = n; }
      });
      if (best >= Math.min(2, chars.size)) { scored.push([best, KIND_ORDER.indexOf(e.kind), e.title.length, e]); }
    });
    scored.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1] || a[2] - b[2]; });
    return scored.slice(0, limit || 8).map(function (s) { return s[3]; });
  }

  function href(entry) { return new URL(entry.url.replace(/^\//, ""), S.root).href; }

  function option(entry, id) {
    var li = document.createElement("li");
    li.id = id;
    li.setAttribute("role", "option");
    li.dataset.url = href(entry);
    var kind = document.createElement("span");
    kind.className = "gp-kind";
    kind.textContent = entry.kind;
    var name = document.createElement("span");
    name.className = "gp-suggest-name";
    name.textContent = entry.title;
    var where = document.createElement("span");
    where.className = "gp-suggest-where";
    where.textContent = entry.province;
    li.append(kind, name, where);
    return li;
  }

  function attach(form, input) {
    var list = document.createElement("ul");
    list.id = "gp-suggest-" + Math.random().toString(36).slice(2, 8);
    list.className = "gp-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索建议");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.autocomplete = "off";
    var active = -1, entries = null, pending = null;

    function close() { list.hidden = true; active = -1; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); }
    function mark(i) {
      var items = list.children;
      if (!items.length) { return; }
      active = (i + items.length) % items.length;
      Array.prototype.forEach.call(items, function (li, k) { li.setAttribute("aria-selected", k === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }
    function render() {
      var found = entries ? suggest(entries, input.value) : [];
      list.replaceChildren.apply(list, found.map(function (e, i) { return option(e, list.id + "-" + i); }));
      list.hidden = !found.length;
      active = -1;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
    }
    function load() {
      if (!pending) {
        pending = S.engine().suggestions().then(function (e) { entries = e; render(); }, function () { entries = []; });
      }
      return pending;
    }
    input.addEventListener("focus", load);
    input.addEventListener("input", function () { if (entries) { render(); } else { load(); } });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !list.hidden) { event.preventDefault(); mark(active + 1); }
      else if (event.key === "ArrowUp" && !list.hidden) { event.preventDefault(); mark(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0 && !list.hidden) { event.preventDefault(); location.href = list.children[active].dataset.url; }
    });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep focus in the box
    list.addEventListener("click", function (event) {
      var li = event.target.closest("li[role=option]");
      if (li) { location.href = li.dataset.url; }
    });
    input.addEventListener("blur", close);
  }

  /* The header box: Material's header on site pages, the forms' own header on form pages. */
  function setup() {
    var inner = document.querySelector(".md-header__inner") || document.querySelector("header.top");
    if (!inner || inner.querySelector(".gp-header-search")) { return; }
    var form = document.createElement("form");
    form.className = "gp-header-search";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "全站搜索");
    form.action = new URL("search/", S.root).href;
    var input = document.createElement("input");
    input.type = "search";
    input.name = "q";
    input.placeholder = "搜索项目、县、承训单位…";
    input.setAttribute("aria-label", "搜索全站");
    input.maxLength = 200;
    var here = new URL(location.href);
    if (here.pathname.replace(/\/$/, "").endsWith("/search") || here.pathname === "/search/") { input.value = here.searchParams.get("q") || ""; }
    form.appendChild(input);
    inner.appendChild(form);
    attach(form, input);
    document.querySelectorAll(".gp-search-home form").forEach(function (home) {
      if (home.elements.q && !home.elements.q.hasAttribute("role")) { attach(home, home.elements.q); }
    });
  }

  S.suggest = suggest;
  S.closest = closest;
  S.href = href;
  S.attach = attach;
  if (typeof document$ !== "undefined") { document$.subscribe(setup); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); }
  else { setup(); }
})();
