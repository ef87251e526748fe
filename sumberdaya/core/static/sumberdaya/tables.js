// On a phone a table turns into cards (app.css, table.cards): each cell is labelled with its column's
// heading(s), so no column hides behind sideways scrolling. Tables of up to four columns that fit stay tables.
// Without JavaScript every table scrolls sideways inside its .table-wrap as before.
(function () {
  "use strict";
  function labels(table) {
    var names = [], taken = [];
    Array.prototype.forEach.call(table.tHead ? table.tHead.rows : [], function (row, r) {
      var col = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        while (taken[r] && taken[r][col]) { col += 1; }
        var text = cell.textContent.replace(/\s+/g, " ").trim();
        for (var dr = 0; dr < cell.rowSpan; dr += 1) {
          for (var dc = 0; dc < cell.colSpan; dc += 1) {
            (taken[r + dr] = taken[r + dr] || [])[col + dc] = true;
            var before = names[col + dc];
            if (text && dr === 0 && before !== text) { names[col + dc] = before ? before + " · " + text : text; }
          }
        }
        col += cell.colSpan;
      });
    });
    return names;
  }
  Array.prototype.forEach.call(document.querySelectorAll(".table-wrap > table"), function (table) {
    var names = labels(table);
    // Narrow tables keep their columns while they fit; `class="keep"` keeps any table as it is.
    var fits = table.scrollWidth <= table.parentNode.clientWidth;
    if (table.classList.contains("keep") || (names.length <= 4 && fits)) { return; }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (names[col] && cell.colSpan === 1) {
            cell.setAttribute("data-label", names[col]);
            var value = document.createElement("div");
            value.className = "cell-value";
            while (cell.firstChild) { value.appendChild(cell.firstChild); }
            cell.appendChild(value);
          }
          col += cell.colSpan;
        });
      });
    });
    table.classList.add("cards");
  });
})();
