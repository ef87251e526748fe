// A search box over a long list of checkboxes (the unit picker). Without JavaScript the box stays hidden
// and the whole list shows; with it, typing hides the options whose text does not contain what was typed.
(function () {
  "use strict";
  function normal(text) { return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
  function setUp(list) {
    var input = list.querySelector("[data-filter-input]");
    if (!input || input.dataset.ready) { return; }
    input.dataset.ready = "1";
    input.hidden = false;
    var options = Array.prototype.slice.call(list.querySelectorAll("label, [data-filter-item]"));
    input.addEventListener("input", function () {
      var wanted = normal(input.value.trim());
      options.forEach(function (option) {
        var box = option.querySelector("input[type=checkbox]");
        var keep = !wanted || normal(option.textContent).indexOf(wanted) !== -1 || (box && box.checked);
        var item = option.closest("[data-filter-item]") || option.closest("div") || option;
        item.hidden = !keep;
      });
    });
  }
  function all() { document.querySelectorAll("[data-filter-list]").forEach(setUp); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
})();
