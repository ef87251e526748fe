/* Optional improvements for the survey (it works without this file): progress, no double submit,
   kiosk reset after idle time. */
(function () {
  "use strict";
  var form = document.getElementById("survey");
  var progress = document.getElementById("progress");
  if (form && progress) {
    var update = function () {
      var done = 0;
      for (var i = 1; i <= 9; i++) { if (form.querySelector("input[name=a" + i + "]:checked")) { done++; } }
      progress.querySelector("b").textContent = done;
      progress.querySelector(".bar span").style.width = (done * 100 / 9) + "%";
    };
    form.addEventListener("change", update);
    update();
    progress.hidden = false;
  }
  if (form) {
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function () { setTimeout(function () { button.disabled = true; }, 0); });
    window.addEventListener("pageshow", function () { button.disabled = false; });
    var errors = document.getElementById("errors");
    if (errors) { errors.focus(); }
  }
  var reset = document.body.getAttribute("data-reset");
  if (reset) {
    var idle = parseInt(document.body.getAttribute("data-idle"), 10) * 1000;
    var timer;
    var arm = function () { clearTimeout(timer); timer = setTimeout(function () { location.href = reset; }, idle); };
    ["click", "keydown", "touchstart", "input", "scroll", "change"].forEach(function (name) {
      document.addEventListener(name, arm, { passive: true });
    });
    arm();
    // A kiosk tablet fills the screen after the first touch (browsers allow it only after a gesture).
    document.addEventListener("click", function () {
      var root = document.documentElement;
      if (!document.fullscreenElement && root.requestFullscreen) { root.requestFullscreen().catch(function () {}); }
    }, { once: true });
  }
})();
