// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";

  // 字数 counter: every character except white space, as the server counts.
  function countChars(text) { return text.replace(/\s/g, "").length; }
  document.querySelectorAll("textarea[data-max-chars]").forEach(function (area) {
    var max = parseInt(area.getAttribute("data-max-chars"), 10);
    var out = document.querySelector('[data-counter-for="' + area.id + '"]');
    function update() {
      var n = countChars(area.value);
      out.textContent = "已输入 " + n + " 字，上限 " + max + " 字" + (n > max ? "（已超出 " + (n - max) + " 字）" : "");
      out.classList.toggle("over", n > max);
    }
    area.addEventListener("input", update);
    update();
  });

  // Row tables: add and remove rows in the page instead of a round trip.
  function renumber(tbody, prefix) {
    Array.prototype.forEach.call(tbody.rows, function (tr, i) {
      tr.querySelectorAll("[name]").forEach(function (el) {
        if (el.name.indexOf(prefix + "-") === 0) { el.name = el.name.replace(/^(\w+)-\d+-/, prefix + "-" + i + "-"); }
        if (el.name === "remove_" + prefix) { el.value = String(i); }
      });
    });
  }
  document.querySelectorAll("table.rows").forEach(function (table) {
    var prefix = table.getAttribute("data-rows");
    var tbody = table.tBodies[0];
    var form = table.closest("form");
    var addButton = form.querySelector('button[name="add_' + prefix + '"]');
    table.addEventListener("click", function (event) {
      var button = event.target.closest('button[name="remove_' + prefix + '"]');
      if (!button) { return; }
      event.preventDefault();
      if (tbody.rows.length > 1) { button.closest("tr").remove(); }
      else { button.closest("tr").querySelectorAll("input, textarea, select").forEach(function (el) { el.value = ""; }); }
      renumber(tbody, prefix);
    });
    if (addButton) {
      addButton.addEventListener("click", function (event) {
        event.preventDefault();
        var row = tbody.rows[tbody.rows.length - 1].cloneNode(true);
        row.querySelectorAll("input, textarea, select").forEach(function (el) { el.value = ""; });
        row.querySelectorAll(".error").forEach(function (el) { el.remove(); });
        tbody.appendChild(row);
        renumber(tbody, prefix);
        var first = row.querySelector("input, textarea, select");
        if (first) { first.focus(); }
      });
    }
  });
})();

// “复制链接”: copy a read-only field's text; without the clipboard API the text is selected.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      field.select();
      var done = function () { button.textContent = "已复制"; };
      if (navigator.clipboard) { navigator.clipboard.writeText(field.value).then(done, function () {}); }
      else if (document.execCommand("copy")) { done(); }
    });
  });
})();
