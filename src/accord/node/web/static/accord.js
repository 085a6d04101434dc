// Accord's only script of its own: live countdowns to silence deadlines; live refreshes
// held while a form is being filled, and keeping the keyboard focus. Pages work without
// it; the deadline is also printed, and the receipt, not this clock, decides.
(function () {
  "use strict";
  function left(ms) {
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600),
        m = Math.floor(s % 3600 / 60), r = s % 60;
    var parts = [];
    if (d) parts.push(d + " d");
    if (d || h) parts.push(h + " h");
    parts.push(m + " min", r + " s");
    return parts.join(" ");
  }
  // A time shown in the conference's zone and UTC is also given in the delegate's own
  // zone (the browser's), where that differs from both.
  var own = (Intl.DateTimeFormat().resolvedOptions().timeZone) || "UTC";
  function localTimes() {
    document.querySelectorAll("[data-time]").forEach(function (el) {
      var zone = el.getAttribute("data-zone") || "UTC";
      if (own === zone || own === "UTC" || el.querySelector(".own-time")) return;
      var when = new Date(Number(el.getAttribute("data-time")));
      var shown = new Intl.DateTimeFormat("en-CA", {
        timeZone: own, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23"
      }).format(when).replace(",", "");
      var span = document.createElement("span");
      span.className = "own-time";
      span.textContent = " (your time: " + shown + " " + own + ")";
      el.appendChild(span);
    });
  }
  document.addEventListener("DOMContentLoaded", localTimes);
  document.addEventListener("htmx:afterSettle", localTimes);
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var ms = Number(el.getAttribute("data-deadline")) - now;
      var text = ms > 0 ? left(ms) + " left" : "deadline passed";
      if (el.textContent !== text) el.textContent = text;
      el.classList.toggle("passed", ms <= 0);
    });
  }
  // Live refresh replaces the page's live part when the record changes; it waits while
  // the delegate is typing or choosing in a form there, so that nothing typed is lost.
  function busy(region) {
    var active = document.activeElement;
    if (active && region.contains(active) && active.form) return true;
    return Array.prototype.some.call(region.querySelectorAll("input, textarea, select"), function (f) {
      if (f.type === "hidden" || f.type === "submit") return false;
      if (f.type === "checkbox" || f.type === "radio") return f.checked !== f.defaultChecked;
      if (f.tagName === "SELECT") {
        // With no option marked `selected`, the first is the default.
        var initial = f.options.length ? 0 : -1;
        Array.prototype.forEach.call(f.options, function (o, i) { if (o.defaultSelected) initial = i; });
        return f.selectedIndex !== initial;
      }
      return f.value !== f.defaultValue;
    });
  }
  var pending = false;
  document.addEventListener("htmx:beforeRequest", function (e) {
    var trigger = e.detail.elt, region = document.getElementById("live");
    if (!trigger || trigger.id !== "live-trigger" || !region) return;
    if (busy(region)) {
      e.preventDefault();
      pending = true;
      document.body.classList.add("live-paused");
    }
  });
  setInterval(function () {
    var region = document.getElementById("live"), trigger = document.getElementById("live-trigger");
    if (pending && region && trigger && !busy(region) && window.htmx) {
      pending = false;
      document.body.classList.remove("live-paused");
      window.htmx.trigger(trigger, "sse:changed");
    }
  }, 1000);
  // A live refresh replaces the elements of the live part: the one that had the keyboard
  // focus is gone. Its counterpart in the new part (same kind, address, name and words,
  // the same among equals) takes the focus back, so that Tab goes on from where it was.
  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  function signature(el) {
    return [el.tagName, el.getAttribute("href"), el.getAttribute("name"), el.textContent.trim()].join("|");
  }
  function alike(region, sig) {
    return Array.prototype.filter.call(region.querySelectorAll(FOCUSABLE), function (el) {
      return signature(el) === sig;
    });
  }
  var refocus = null;
  document.addEventListener("htmx:beforeSwap", function (e) {
    var region = document.getElementById("live"), active = document.activeElement;
    refocus = null;
    if (!region || e.detail.target !== region || !active || !region.contains(active)) return;
    var sig = signature(active);
    refocus = {sig: sig, index: alike(region, sig).indexOf(active)};
  });
  document.addEventListener("htmx:afterSwap", function () {
    var region = document.getElementById("live"), wanted = refocus;
    refocus = null;
    if (!wanted || !region || region.contains(document.activeElement)) return;
    var same = alike(region, wanted.sig), el = same[wanted.index] || same[0];
    if (el) el.focus({preventScroll: true});
  });
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
  setInterval(tick, 1000);
})();
