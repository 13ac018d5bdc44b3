/* Listing filters and sorting, scroll cues for wide tables, call status by today's date.
   Plain DOM, no external libraries; pages stay readable without it. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  // Rows that hold records: a grouped table (county pages) has a heading row per year.
  function recordRows(body) {
    return Array.prototype.filter.call(body.rows, function (row) { return !row.classList.contains("gp-group"); });
  }

  function sortTable(table, th, direction) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.dataset.sort === "num";
    var ascending = direction ? direction === "ascending" : th.getAttribute("aria-sort") !== "ascending";
    each(table.querySelectorAll("th"), function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    each(table.tBodies, function (body) {
      var rows = recordRows(body);
      rows.sort(function (a, b) {
        var x = a.cells[index], y = b.cells[index];
        var u = numeric ? Number(x.dataset.value || x.textContent) : x.textContent.trim();
        var v = numeric ? Number(y.dataset.value || y.textContent) : y.textContent.trim();
        var c = numeric ? u - v : u.localeCompare(v, "zh-CN");
        return ascending ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  }

  function headerCell(table, label) {
    return Array.prototype.find.call(table.tHead.rows[0].cells, function (th) { return th.textContent.indexOf(label) === 0; });
  }

  function applyFilters(form, table) {
    var data = new FormData(form);
    var q = (data.get("q") || "").trim().toLowerCase();
    var shown = 0, total = 0;
    each(table.tBodies, function (body) {
      var visible = 0;
      recordRows(body).forEach(function (row) {
        total += 1;
        var ok = !q || row.textContent.toLowerCase().indexOf(q) !== -1 || (row.dataset.places || "").indexOf(q) !== -1;
        each(form.querySelectorAll("select:not([data-sort-select])"), function (select) {
          if (select.value && row.dataset[select.name] !== select.value) { ok = false; }
        });
        row.hidden = !ok;
        if (ok) { visible += 1; }
      });
      each(body.querySelectorAll("tr.gp-group"), function (row) { row.hidden = visible === 0; });
      shown += visible;
    });
    form.querySelector(".gp-count").textContent = "显示 " + shown + " / " + total + " 个项目";
    var params = new URLSearchParams();
    data.forEach(function (value, key) { if (value) { params.set(key, value); } });
    history.replaceState(null, "", params.toString() ? "#" + params.toString() : location.pathname + location.search);
  }

  function applySort(form, table) {
    var select = form.querySelector("select[data-sort-select]");
    if (!select || !select.value) { return; }
    var parts = select.value.split(":");
    var th = headerCell(table, parts[1]);
    if (th) { sortTable(table, th, parts[2]); }
  }

  function setupFilters() {
    each(document.querySelectorAll("form.gp-filters"), function (form) {
      var table = document.querySelector(form.dataset.target);
      if (!table) { return; }
      form.hidden = false;
      var initial = new URLSearchParams(location.hash.slice(1));
      initial.forEach(function (value, key) { if (form.elements[key]) { form.elements[key].value = value; } });
      form.addEventListener("input", function (event) {
        if (event.target.matches("select[data-sort-select]")) { applySort(form, table); }
        applyFilters(form, table);
      });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      applySort(form, table);
      applyFilters(form, table);
    });
    each(document.querySelectorAll("table.gp-sortable th[data-sort]"), function (th) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortTable(th.closest("table"), th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(th.closest("table"), th); }
      });
    });
  }

  // A region's name must be unique on the page: the table's caption or the heading above it.
  function regionName(wrap) {
    var caption = wrap.querySelector("caption");
    var node = wrap;
    while (!caption && node && !/^H[1-4]$/.test(node.tagName)) { node = node.previousElementSibling || node.parentElement; }
    var title = caption || node;
    return (title ? title.textContent.trim() + "：" : "") + "表格（可左右滚动）";
  }

  // A table wider than its box scrolls inside it; say so, since phones show no scrollbar.
  function setupScrollCues() {
    each(document.querySelectorAll(".md-typeset .gp-table-wrap, .md-typeset .gp-scroll"), function (wrap) {
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle("gp-overflowing", wide);
      if (wide && !wrap.hasAttribute("tabindex")) {
        wrap.tabIndex = 0;  // keyboard users can scroll it too
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", regionName(wrap));
      }
    });
  }

  // County pages hold the rows they share with other counties (a list's projects, a province's
  // 全省 projects) in one fragment each; put them in place of their placeholder rows. A failed
  // fetch leaves the placeholder, which links to the same projects.
  function loadSharedRows() {
    var holders = document.querySelectorAll("tr.gp-shared[data-rows]");
    return Promise.all(Array.prototype.map.call(holders, function (holder) {
      return fetch(holder.dataset.rows).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      }).then(function (html) {
        var body = document.createElement("tbody");
        body.innerHTML = html;
        Array.prototype.slice.call(body.rows).forEach(function (row) { holder.parentNode.insertBefore(row, holder); });
        holder.parentNode.removeChild(holder);
      }).catch(function () { /* keep the link */ });
    })).then(function () { document.documentElement.dataset.rowsLoaded = "1"; });
  }

  function setupCalls() {
    var today = new Date().toISOString().slice(0, 10);
    each(document.querySelectorAll("[data-deadline]"), function (box) {
      var open = today <= box.dataset.deadline;
      each(box.querySelectorAll(".gp-call-status"), function (s) { s.textContent = open ? s.dataset.open : s.dataset.closed; });
    });
  }

  function init() {
    setupCalls();
    loadSharedRows().then(function () { setupFilters(); setupScrollCues(); });
  }
  window.addEventListener("resize", setupScrollCues);
  if (typeof document$ !== "undefined") { document$.subscribe(init); } else { document.addEventListener("DOMContentLoaded", init); }
})();
