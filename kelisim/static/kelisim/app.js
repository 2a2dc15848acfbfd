/* Kelisim's small script: everything works without it; it only makes things easier.
 * - the header's menu (a <details>) stays open as a bar on a wide screen, and closes with Escape;
 * - every cell of a .table learns its column's heading (data-label), shown on a phone's cards, and a
 *   table too wide for the column scrolls in a box of its own;
 * - the error summary at the top of a form takes the focus, so it is read first, and its links put
 *   the cursor in their field;
 * - a field marked data-shown-for="a b" shows only while its form's [data-controls] choice is a or b
 *   (without the script every field shows, and the server ignores the ones the choice does not use).
 * The Content-Security-Policy allows only scripts from this site: no inline code anywhere.
 */
(function () {
  "use strict";

  var WIDE = window.matchMedia("(min-width: 64em)");

  function syncMenu() {
    var menu = document.getElementById("menu");
    if (!menu) return;
    if (WIDE.matches) {
      menu.classList.add("menu--wide");
      menu.open = true;
    } else if (menu.classList.contains("menu--wide")) {
      menu.classList.remove("menu--wide");
      menu.open = false;
    }
  }

  function closeMenuOnEscape(event) {
    var menu = document.getElementById("menu");
    if (event.key !== "Escape" || !menu || !menu.open || menu.classList.contains("menu--wide")) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  }

  function headings(table) {
    var row = table.tHead && table.tHead.rows[0];
    if (!row) {
      var first = table.rows[0];
      var allHeadings = first && first.cells.length && Array.prototype.every.call(first.cells, function (cell) {
        return cell.tagName === "TH";
      });
      if (!allHeadings) return null;
      row = first;
    }
    var names = [];
    Array.prototype.forEach.call(row.cells, function (cell) {
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < (cell.colSpan || 1); i++) names.push(text);
    });
    return { row: row, names: names };
  }

  // A table wider than the column scrolls inside its own box (focusable, so a keyboard can scroll it).
  function wrap(table) {
    var parent = table.parentNode;
    if (!parent || (parent.classList && parent.classList.contains("table-wrap"))) return;
    var box = document.createElement("div");
    box.className = "table-wrap";
    parent.insertBefore(box, table);
    box.appendChild(table);
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      var area = table.closest("section, main") || document;
      var caption = table.caption || area.querySelector("h1, h2");
      if (caption) box.setAttribute("aria-label", caption.textContent.trim());
    }
  }

  function labelTables(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var tables = Array.prototype.slice.call(scope.querySelectorAll("table.table"));
    if (scope.matches && scope.matches("table.table")) tables.push(scope);
    tables.forEach(function (table) {
      wrap(table);
      var found = headings(table);
      if (!found) return;
      table.classList.add("table--labelled");
      Array.prototype.forEach.call(table.rows, function (row) {
        if (row === found.row) return;
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", found.names[column] || "");
          column += cell.colSpan || 1;
        });
      });
    });
  }

  function focusErrorSummary(root) {
    var scope = root && root.querySelector ? root : document;
    var summary = scope.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  // A link in the error summary puts the cursor in its field (a plain #link would only scroll).
  function followErrorLink(event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']") || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  }

  // Fields the chosen option does not use are hidden (and disabled, so they are not sent).
  function syncShownFor(form) {
    var control = form.querySelector("[data-controls]");
    if (!control) return;
    Array.prototype.forEach.call(form.querySelectorAll("[data-shown-for]"), function (field) {
      var show = field.getAttribute("data-shown-for").split(" ").indexOf(control.value) !== -1;
      field.hidden = !show;
      Array.prototype.forEach.call(field.querySelectorAll("input, select, textarea"), function (input) {
        input.disabled = !show;
      });
    });
  }

  function shownFor(root) {
    var scope = root && root.querySelectorAll ? root : document;
    Array.prototype.forEach.call(scope.querySelectorAll("form"), syncShownFor);
  }

  function changeShownFor(event) {
    if (event.target.matches && event.target.matches("[data-controls]") && event.target.form) {
      syncShownFor(event.target.form);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    shownFor(document);
    syncMenu();
    labelTables(document);
    focusErrorSummary(document);
  });
  if (WIDE.addEventListener) WIDE.addEventListener("change", syncMenu);
  document.addEventListener("keydown", closeMenuOnEscape);
  document.addEventListener("click", followErrorLink);
  // Content htmx swaps in gets the same treatment.
  document.addEventListener("change", changeShownFor);
  document.addEventListener("htmx:load", function (event) {
    shownFor(event.target);
    labelTables(event.target);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
  });
})();
