// Paper entry: a digit 1–4 moves to the next answer box, anything else is cleared. The form works without this.
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.answer"));
  boxes.forEach(function (box, i) {
    box.addEventListener("input", function () {
      if (!/^[1-4]$/.test(box.value)) { box.value = ""; return; }
      var next = boxes[i + 1] || document.getElementById("after-answers");
      if (next) { next.focus(); if (next.select) { next.select(); } }
    });
  });
})();
