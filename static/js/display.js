// Lobby display: a clock, and rotation from the stored slides while the network is down.
// htmx polls #slide (hx-trigger "every N s"); each answer carries the next slide. When a
// poll fails, htmx leaves the old content and keeps polling; here we rotate ourselves
// through the slides the page stored (#slide-store), so the screen never freezes.
(function () {
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var el = document.getElementById("clock");
    if (!el) return;
    var d = new Date();
    var days = "日一二三四五六";
    // The street's wall clock (data-tz, the server's STREET_TIMEZONE), whatever the
    // screen's own zone is set to.
    var t = {y: d.getFullYear(), m: d.getMonth() + 1, d: d.getDate(), w: d.getDay(), h: d.getHours(), min: d.getMinutes()};
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-US", {timeZone: el.getAttribute("data-tz") || undefined, year: "numeric",
        month: "numeric", day: "numeric", weekday: "short", hour: "numeric", minute: "numeric", hourCycle: "h23"})
        .formatToParts(d).forEach(function (p) { parts[p.type] = p.value; });
      t = {y: +parts.year, m: +parts.month, d: +parts.day, h: +parts.hour % 24, min: +parts.minute,
           w: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday)};
    } catch (e) { /* an old browser: its own clock */ }
    el.textContent = t.y + "年" + t.m + "月" + t.d + "日 星期" + days.charAt(t.w) + " " + pad(t.h) + ":" + pad(t.min);
  }
  function storeKeys() {
    var out = [];
    document.querySelectorAll("#slide-store template").forEach(function (t) { out.push(t.getAttribute("data-key")); });
    return out;
  }
  function showOffline(on) {
    var box = document.getElementById("display-offline");
    if (box) box.hidden = !on;
    document.body.classList.toggle("offline", on);
  }
  function rotateFromStore() {
    var slide = document.getElementById("slide");
    var keys = storeKeys();
    if (!slide || !keys.length) return;
    var current = slide.querySelector(".slide-body");
    var key = current ? current.getAttribute("data-key") : "";
    var next = keys[(keys.indexOf(key) + 1) % keys.length];
    var tpl = document.querySelector('#slide-store template[data-key="' + next + '"]');
    if (!tpl) return;
    slide.replaceChildren(tpl.content.cloneNode(true));
    markCurrent(next);
  }
  function markCurrent(key) {
    document.querySelectorAll("#display-list li").forEach(function (li) {
      li.classList.toggle("current", li.getAttribute("data-key") === key);
    });
  }
  function failed(evt) {
    if (evt.detail && evt.detail.elt && evt.detail.elt.id === "slide") {
      showOffline(true);
      rotateFromStore();
    }
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:timeout", failed);
  document.addEventListener("htmx:afterSettle", function () {
    showOffline(false);
    var body = document.querySelector("#slide .slide-body");
    if (body) markCurrent(body.getAttribute("data-key"));
    var count = document.getElementById("display-count");
    if (count) count.textContent = storeKeys().length;
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) { htmx.config.timeout = 8000; }
    tick();
    setInterval(tick, 1000);
    var body = document.querySelector("#slide .slide-body");
    if (body) markCurrent(body.getAttribute("data-key"));
  });
})();
