/* Catalogue filters and sorting, call status by today's date.
   Plain DOM, no external libraries; pages stay readable without it. */
(function () {
  "use strict";

  function sortTable(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.dataset.sort === "num";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index], y = b.cells[index];
      var u = numeric ? Number(x.dataset.value || x.textContent) : x.textContent.trim();
      var v = numeric ? Number(y.dataset.value || y.textContent) : y.textContent.trim();
      var c = numeric ? u - v : u.localeCompare(v, "zh-CN");
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function applyFilters(form, table) {
    var data = new FormData(form);
    var q = (data.get("q") || "").trim();
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var ok = !q || row.textContent.indexOf(q) !== -1;
      form.querySelectorAll("select").forEach(function (select) {
        if (select.value && row.dataset[select.name] !== select.value) { ok = false; }
      });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    form.querySelector(".gp-count").textContent = "显示 " + shown + " / " + table.tBodies[0].rows.length + " 个项目";
    var params = new URLSearchParams();
    data.forEach(function (value, key) { if (value) { params.set(key, value); } });
    history.replaceState(null, "", "#" + params.toString());
  }

  function setupFilters() {
    document.querySelectorAll("form.gp-filters").forEach(function (form) {
      var table = document.querySelector(form.dataset.target);
      if (!table) { return; }
      form.hidden = false;
      var initial = new URLSearchParams(location.hash.slice(1));
      initial.forEach(function (value, key) { if (form.elements[key]) { form.elements[key].value = value; } });
      form.addEventListener("input", function () { applyFilters(form, table); });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      applyFilters(form, table);
    });
    document.querySelectorAll("table.gp-sortable th[data-sort]").forEach(function (th) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortTable(th.closest("table"), th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sortTable(th.closest("table"), th); } });
    });
  }

  function setupCalls() {
    var today = new Date().toISOString().slice(0, 10);
    document.querySelectorAll("[data-deadline]").forEach(function (box) {
      var open = today <= box.dataset.deadline;
      box.querySelectorAll(".gp-call-status").forEach(function (s) { s.textContent = open ? s.dataset.open : s.dataset.closed; });
    });
  }

  function init() { setupFilters(); setupCalls(); }
  if (typeof document$ !== "undefined") { document$.subscribe(init); } else { document.addEventListener("DOMContentLoaded", init); }
})();
