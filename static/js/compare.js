// Next/previous change on a redline page: keys j/n and k/p, or the two toolbar buttons.
// Listeners sit on the document, so they keep working after htmx swaps #redline-body.
// No inline script and no eval: the Content-Security-Policy allows only this file.
(function () {
  "use strict";

  var TARGETS = "#redline-body [data-change], #redline-body ins, #redline-body del";
  var last = null; // the change moved to most recently (it may have lost focus since)

  function targets() {
    // Skip anything folded inside a closed <details> (unchanged provisions have no changes
    // today, but focus cannot land on a hidden element anyway).
    return Array.prototype.filter.call(document.querySelectorAll(TARGETS), function (el) {
      return !el.closest("details:not([open])");
    });
  }

  function announce(text) {
    var live = document.getElementById("change-position");
    if (live) live.textContent = text;
  }

  // Where the reader is: the focused element if it is inside the redline, else the last target.
  function reference() {
    var active = document.activeElement;
    var body = document.getElementById("redline-body");
    if (active && body && body.contains(active) && active !== body) return active;
    return last && document.contains(last) ? last : null;
  }

  // For a reference that is not itself a target (say, a mode link): the first target after
  // it going forward, the last one before it going back; out of range when there is none.
  function neighbour(list, ref, step) {
    var i;
    if (step > 0) {
      for (i = 0; i < list.length; i++) {
        if (ref.compareDocumentPosition(list[i]) & Node.DOCUMENT_POSITION_FOLLOWING) return i;
      }
      return list.length;
    }
    for (i = list.length - 1; i >= 0; i--) {
      if (list[i].compareDocumentPosition(ref) & Node.DOCUMENT_POSITION_FOLLOWING) return i;
    }
    return -1;
  }

  function move(step) {
    var list = targets();
    if (!list.length) {
      announce("No changes.");
      return;
    }
    var ref = reference();
    var index;
    if (!ref) {
      index = step > 0 ? 0 : list.length - 1;
    } else {
      var at = list.indexOf(ref);
      index = at >= 0 ? at + step : neighbour(list, ref, step);
    }
    if (index < 0 || index >= list.length) {
      announce(step > 0 ? "Last change reached (" + list.length + " in all)." : "First change reached.");
      return;
    }
    var el = list[index];
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "center", behavior: "auto" });
    last = el;
    announce("Change " + (index + 1) + " of " + list.length);
  }

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target) || !document.getElementById("redline-body")) return;
    var key = event.key;
    if (key === "j" || key === "n") {
      event.preventDefault();
      move(1);
    } else if (key === "k" || key === "p") {
      event.preventDefault();
      move(-1);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-change-nav]");
    if (!button) return;
    event.preventDefault();
    move(button.getAttribute("data-change-nav") === "previous" ? -1 : 1);
  });

  // A marked passage leads to the note on its comment under the provision (the first one when
  // several comments share the words); the note links back to the passage and to the thread.
  document.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("#redline-body mark[aria-describedby]");
    if (!mark || (event.target.closest("a"))) return;
    var note = document.getElementById(mark.getAttribute("aria-describedby").split(" ")[0]);
    var item = note && note.closest("li");
    if (!item) return;
    var link = item.querySelector("a");
    if (link) link.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest", behavior: "auto" });
  });

  // After a mode switch the old targets are gone: start again from the top.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "redline-body") {
      last = null;
      announce("");
    }
  });
})();
