/* The offline layer of a registered kiosk tablet (loaded only there; the survey works without it).

   A completed questionnaire goes into a queue in localStorage (it survives a reload and a browser
   restart), then is sent to the server; while the connection is down it waits, the screen shows how
   many answers wait, and the next person gets a fresh form with a one-time token taken from a pool
   fetched while online. The server stores each token once, so a resend after a lost reply stores
   nothing twice; the entry leaves the queue only when the server answered stored, already or refused.
   The service worker (kios-sw.js) keeps the page and its assets for a reload without connection. */
(function () {
  "use strict";
  var form = document.getElementById("survey");
  if (!form || !form.getAttribute("data-kiosk-send") || !window.localStorage) { return; }
  var unit = form.getAttribute("data-kiosk-unit");
  var sendUrl = form.getAttribute("data-kiosk-send");
  var tokenUrl = form.getAttribute("data-kiosk-tokens");
  var QUEUE = "skm-kiosk:" + unit + ":queue";
  var POOL = "skm-kiosk:" + unit + ":tokens";
  var USED = "skm-kiosk:" + unit + ":used";
  var POOL_MIN = 10;
  var POOL_MAX_AGE = 6 * 86400 * 1000; // the server accepts a tablet's token for 7 days
  var RETRY_MS = 15000;
  var THANKS_MS = 4000;
  var box = document.getElementById("kiosk-status");
  var message = box.querySelector(".kiosk-msg");
  var waiting = box.querySelector(".kiosk-queue");
  var tokenInput = form.querySelector("input[name=token]");
  var button = form.querySelector("button[type=submit]");
  var sending = false;
  var results = {};

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(key, value) { localStorage.setItem(key, JSON.stringify(value)); }

  function show(text) {
    var count = load(QUEUE).length;
    waiting.querySelector("b").textContent = count;
    waiting.hidden = count === 0;
    if (text !== undefined) { message.textContent = text; message.hidden = !text; }
    box.hidden = waiting.hidden && !message.textContent;
  }

  // --- one-time tokens --------------------------------------------------------------------------
  function freshPool() {
    var now = Date.now();
    return load(POOL).filter(function (t) { return now - t.at < POOL_MAX_AGE; });
  }
  function refill() {
    var pool = freshPool();
    save(POOL, pool);
    if (pool.length >= POOL_MIN) { return Promise.resolve(); }
    return fetch(tokenUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.tokens) { return; }
        var now = Date.now();
        save(POOL, freshPool().concat(data.tokens.map(function (t) { return { t: t, at: now }; })));
      })
      .catch(function () {});
  }
  function markUsed(token) {
    var used = load(USED);
    used.push(token);
    save(USED, used.slice(-300));
  }
  // The page may come from the service worker's cache: its token may have been used already.
  function ensureFreshToken() {
    if (load(USED).indexOf(tokenInput.value) === -1) { return; }
    var pool = freshPool();
    var next = pool.shift();
    save(POOL, pool);
    if (next) { tokenInput.value = next.t; }
  }

  // --- the queue ---------------------------------------------------------------------------------
  function complete() {
    for (var i = 1; i <= 9; i++) {
      if (!form.querySelector("input[name=a" + i + "]:checked")) { return false; }
    }
    var services = form.querySelectorAll("input[name=service]");
    return services.length === 0 || !!form.querySelector("input[name=service]:checked");
  }
  function remove(token) {
    save(QUEUE, load(QUEUE).filter(function (e) { return e.token !== token; }));
  }
  function sendOne(entry) {
    var body = new URLSearchParams();
    entry.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.append("answered_at", String(entry.answered));
    body.append("sent_at", String(Date.now()));
    return fetch(sendUrl, { method: "POST", body: body, credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        return r.json().then(function (data) {
          if (data.result === "stored" || data.result === "already" || data.result === "refused") {
            remove(entry.token);
            results[entry.token] = data;
            if (data.result === "refused") { show(box.getAttribute("data-refused") + ": " + data.message); }
            return true;
          }
          return false; // retry: over the limit or a server error
        });
      });
  }
  function flush() {
    if (sending) { return Promise.resolve(); }
    sending = true;
    var step = function () {
      var queue = load(QUEUE);
      if (!queue.length) { return null; }
      return sendOne(queue[0]).then(function (ok) { show(); return ok ? step() : null; });
    };
    return Promise.resolve().then(step).catch(function () {}).then(function () {
      sending = false;
      show();
      return refill();
    });
  }

  function nextPerson() {
    form.reset();
    var pool = freshPool();
    var next = pool.shift();
    save(POOL, pool);
    if (next) { tokenInput.value = next.t; }
    button.disabled = false;
    form.dispatchEvent(new Event("change")); // the progress bar
    window.scrollTo(0, 0);
    show("");
    refill();
  }

  form.addEventListener("submit", function (event) {
    if (!complete()) {
      if (navigator.onLine) { return; } // the server lists what is missing
      event.preventDefault();
      show(box.getAttribute("data-missing"));
      setTimeout(function () { button.disabled = false; }, 0);
      return;
    }
    event.preventDefault();
    ensureFreshToken();
    if (load(USED).indexOf(tokenInput.value) !== -1) {
      // No unused token left on this tablet (it has not been online yet): keep the answers on screen.
      show(box.getAttribute("data-no-token"));
      setTimeout(function () { button.disabled = false; }, 0);
      flush();
      return;
    }
    var fields = [];
    new FormData(form).forEach(function (value, name) { if (typeof value === "string") { fields.push([name, value]); } });
    var token = tokenInput.value;
    var queue = load(QUEUE);
    queue.push({ token: token, fields: fields, answered: Date.now() });
    save(QUEUE, queue);
    markUsed(token);
    show();
    flush().then(function () {
      var result = results[token];
      if (result && result.result === "stored" && result.next) { location.href = result.next; return; }
      if (result && result.result === "already") { nextPerson(); return; }
      show(box.getAttribute("data-sent"));
      setTimeout(nextPerson, THANKS_MS);
    });
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(form.getAttribute("data-kiosk-worker"), {
      scope: form.getAttribute("data-kiosk-scope")
    }).catch(function () {});
  }
  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);
  ensureFreshToken();
  show();
  flush();
})();
