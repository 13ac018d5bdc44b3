/* Accessibility and 适老化 (GB/T 37668, WCAG 2.1 AA) on every page, site and forms.

   Loaded in <head> without defer, after the stylesheets, so that the reader's 大字/高对比 mode is
   applied before the first paint (no flash of small text): it sets the classes gp-large and
   gp-contrast on <html> and scales the root font size the page's own stylesheets give by 1.25.
   Then, once the document is parsed:
   - a toggle button in the header (aria-pressed), remembered in localStorage across pages;
   - tables that scroll sideways become focusable, labelled regions, so the keyboard can scroll them;
   - Material's menu button (a <label> for the drawer checkbox) becomes operable by keyboard. */
(function () {
  "use strict";
  var KEY = "gp-a11y";
  var SCALE = 1.25;
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }
  function store(on) {
    try { if (on) { window.localStorage.setItem(KEY, "on"); } else { window.localStorage.removeItem(KEY); } } catch (e) { /* private mode: this page only */ }
  }

  /* The root font size as the page's stylesheets set it (Material: 125% to 150% by width; forms: 100%),
     times SCALE. Everything in rem follows; re-measured when the width crosses a breakpoint. */
  function scaleRoot() {
    root.style.removeProperty("font-size");
    if (!root.classList.contains("gp-large")) { return; }
    var base = parseFloat(window.getComputedStyle(root).fontSize) || 16;
    root.style.fontSize = (base * SCALE) + "px";
  }

  function apply(on) {
    root.classList.toggle("gp-large", on);
    root.classList.toggle("gp-contrast", on);
    scaleRoot();
  }

  apply(stored());

  function isOn() { return root.classList.contains("gp-large"); }

  function toggleButton() {
    var header = document.querySelector(".md-header__inner") || document.querySelector("header.top") || document.querySelector("body > header");
    if (!header || header.querySelector(".gp-a11y-toggle")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "gp-a11y-toggle";
    button.title = "大字与高对比（适老化）模式";
    var label = document.createElement("span");
    label.textContent = "大字";
    var more = document.createElement("span");
    more.className = "gp-a11y-sr";
    more.textContent = "与高对比模式";
    button.append(label, more);
    button.setAttribute("aria-pressed", isOn() ? "true" : "false");
    button.addEventListener("click", function () {
      var on = !isOn();
      apply(on);
      store(on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    // Just before the header search box, whichever of the two scripts runs first.
    var search = header.querySelector(".gp-header-search");
    header.insertBefore(button, search || null);
  }

  /* The region's name: the table's caption or the nearest heading above it (names stay unique). */
  function regionName(box, table) {
    var title = table.caption, node = box;
    while (!title && node && !/^H[1-4]$/.test(node.tagName)) { node = node.previousElementSibling || node.parentElement; }
    title = title || node;
    return (title ? title.textContent.trim() + "：" : "") + "表格（可左右滚动）";
  }

  /* A table wider than its scrolling box: the box takes focus (arrow keys scroll it) and names
     itself. The portal's own boxes (.gp-table-wrap, .gp-scroll) are portal.js's; this covers the
     rest (Material's wrapper of Markdown tables, the forms' tables). */
  function scrollRegions() {
    document.querySelectorAll("table").forEach(function (table) {
      var box = table.parentElement;
      while (box && box !== document.body && box.tagName !== "ARTICLE" && box.tagName !== "MAIN") {
        var overflow = window.getComputedStyle(box).overflowX;
        if (overflow === "auto" || overflow === "scroll") { break; }
        box = box.parentElement;
      }
      if (!box || box === document.body || box.tagName === "ARTICLE" || box.tagName === "MAIN") { return; }
      if (box.matches(".gp-table-wrap, .gp-scroll")) { return; }
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.dataset.gpScrollRegion = "";
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) { box.setAttribute("aria-label", regionName(box, table)); }
      } else if (!scrolls && box.hasAttribute("data-gp-scroll-region")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("data-gp-scroll-region");
      }
    });
  }

  /* Material's menu button is a <label> for a hidden checkbox, which Tab never reaches: a real
     button takes its place (same look), with aria-expanded; Escape closes the menu. */
  function drawerButton() {
    var toggle = document.getElementById("__drawer");
    var label = document.querySelector('.md-header label[for="__drawer"]');
    if (!toggle || !label || label.hidden) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " gp-menu-button";
    button.setAttribute("aria-label", "导航菜单");
    button.innerHTML = label.innerHTML;  // Material's own icon (an inline SVG of the page)
    label.hidden = true;
    label.parentNode.insertBefore(button, label);
    function set(open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
    toggle.addEventListener("change", function () { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); });
    button.addEventListener("click", function () {
      set(!toggle.checked);
      if (toggle.checked) {
        var first = document.querySelector(".md-sidebar--primary .md-nav__link[href]");
        if (first) { window.setTimeout(function () { first.focus(); }, 0); }
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) { set(false); button.focus(); }
    });
  }

  var width = window.innerWidth;
  var pending = false;
  function onResize() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      if (window.innerWidth !== width) { width = window.innerWidth; scaleRoot(); }
      scrollRegions();
    });
  }

  function setup() {
    toggleButton();
    drawerButton();
    scrollRegions();
  }

  window.addEventListener("resize", onResize);
  // Another tab switched the mode: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY) { return; }
    apply(stored());
    document.querySelectorAll(".gp-a11y-toggle").forEach(function (b) { b.setAttribute("aria-pressed", isOn() ? "true" : "false"); });
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); } else { setup(); }
  window.addEventListener("load", scrollRegions);
})();
