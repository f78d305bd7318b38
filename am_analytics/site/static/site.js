/* am_analytics — the published site's only script: a region (or background) chooser that opens its page, and
   tables that sort when a header is clicked. No network, no library. */
(function () {
  "use strict";

  // --- Choosers: picking a region opens its page -------------------------------------------------------------
  document.querySelectorAll("form[data-choix]").forEach(function (form) {
    var select = form.querySelector("select");
    function open() {
      if (select.value) { window.location.href = select.value; }
    }
    select.addEventListener("change", open);
    form.addEventListener("submit", function (event) { event.preventDefault(); open(); });
  });

  // --- Sorting ---------------------------------------------------------------------------------------------
  // Cells show French numbers (« 1 234 », « 12,5 % », « 38 000 € »). Hidden cells sort consistently: « < 5 »
  // (a count of 1 to 4) between 0 and 5; « s », « n.s. » and « n.d. » after every number, in that order, in both
  // directions, so a hidden value is never read as a large or a small one.
  var HIDDEN = { "s": 1, "n.s.": 2, "n.d.": 3 };
  var MONTHS = { "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12 };

  function frenchNumber(text) {
    var plain = text.replace(/[\s\u00a0\u202f]/g, "").replace(/[%€]|ETP/g, "").replace("−", "-").replace(",", ".");
    if (!/^[-+]?\d+(\.\d+)?$/.test(plain)) { return null; }
    return parseFloat(plain);
  }

  function sortKey(cell, type) {
    var text = cell.textContent.trim();
    if (Object.prototype.hasOwnProperty.call(HIDDEN, text)) { return { rank: HIDDEN[text], value: 0 }; }
    if (type === "text") { return { rank: 0, value: text.toLocaleLowerCase("fr") }; }
    if (type === "date") {
      if (cell.dataset.tri) { return { rank: 0, value: cell.dataset.tri }; }
      var parts = text.split(" ");
      if (parts.length === 3 && MONTHS[parts[1]]) {
        return { rank: 0, value: parts[2] + "-" + String(MONTHS[parts[1]]).padStart(2, "0") + "-" +
          parts[0].replace("1er", "1").padStart(2, "0") };
      }
      return { rank: 3, value: 0 };
    }
    if (text === "< 5") { return { rank: 0, value: 2.5 }; }
    var number = frenchNumber(text);
    return number === null ? { rank: 0, value: text.toLocaleLowerCase("fr"), text: true } : { rank: 0, value: number };
  }

  function compare(a, b) {
    if (a.value === b.value) { return 0; }
    if (typeof a.value === "number" && typeof b.value === "number") { return a.value - b.value; }
    if (typeof a.value === "number") { return -1; }
    if (typeof b.value === "number") { return 1; }
    return String(a.value).localeCompare(String(b.value), "fr", { numeric: true });
  }

  function sortTable(table, index, header) {
    var type = header.dataset.type || "text";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.setAttribute("aria-sort", "none"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, position: position, key: sortKey(row.cells[index], type) };
    });
    rows.sort(function (a, b) {
      if (a.key.rank !== b.key.rank) { return a.key.rank - b.key.rank; }  // hidden cells last, either way
      var order = compare(a.key, b.key);
      if (!ascending) { order = -order; }
      return order || a.position - b.position;
    });
    rows.forEach(function (entry) { body.appendChild(entry.row); });
  }

  document.querySelectorAll("table[data-triable]").forEach(function (table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (header, index) {
      var button = header.querySelector("button");
      if (button) { button.addEventListener("click", function () { sortTable(table, index, header); }); }
    });
  });
}());
