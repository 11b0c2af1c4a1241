// Turn a selection in a provision's text into a comment anchor: mouse, touch or keyboard.
// The text element (.text[data-commentable], id "text-<pid>", data-version) holds exactly the
// version's text; the browser counts UTF-16 code units, the server code points, so offsets
// are converted here and `exact` is sent too, for the server to check.
(function () {
  "use strict";

  var pointerDown = false;
  var timer = null;
  var mode = null; // keyboard selection: {root, words, a, b} (indexes into words)
  var WORD = /[\p{L}\p{N}][\p{L}\p{N}'’\-]*/gu;

  function commentable(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    // A text one may comment on, or (on the provision page) look up the history of.
    return el ? el.closest(".text[data-commentable], .text[data-passage]") : null;
  }

  function codePoints(s) {
    return Array.from(s).length;
  }

  function offsetIn(root, container, offset) {
    var r = document.createRange();
    r.selectNodeContents(root);
    r.setEnd(container, offset);
    return r.toString().length;
  }

  // The selection within `root` as UTF-16 offsets, trimmed of surrounding whitespace.
  function selectionIn(root) {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    var text = root.textContent;
    var s = root.contains(range.startContainer) ? offsetIn(root, range.startContainer, range.startOffset) : 0;
    var e = root.contains(range.endContainer) ? offsetIn(root, range.endContainer, range.endOffset) : text.length;
    if (!root.contains(range.startContainer) && !root.contains(range.endContainer) &&
        !range.intersectsNode(root)) return null;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    return s < e ? { s16: s, e16: e, text: text } : null;
  }

  function formFor(root) {
    return document.getElementById("comment-form-" + root.id.slice("text-".length));
  }

  // The "history of this passage" form (provision page): the selection as code points.
  function fillHistory(root, sel) {
    var form = document.getElementById("history-form-" + root.id.slice("text-".length));
    if (!form) return null;
    var exact = sel.text.slice(sel.s16, sel.e16);
    var start = codePoints(sel.text.slice(0, sel.s16));
    form.querySelector("[name=version]").value = root.dataset.version;
    form.querySelector("[name=start]").value = start;
    form.querySelector("[name=end]").value = start + codePoints(exact);
    var quote = form.querySelector("[data-quote]");
    if (quote) quote.textContent = exact.length > 120 ? exact.slice(0, 120) + "…" : exact;
    return form;
  }

  // On the instrument page the form is not there yet: fetch the provision's form (the same
  // one as in its margin) into the slot under its text, then open it on the selection.
  function loadForm(root, sel, focus) {
    var url = root.dataset.commentForm;
    var slot = document.getElementById("comment-slot-" + root.id.slice("text-".length));
    if (!url || !slot || root.dataset.loading) return;
    root.dataset.loading = "1";
    htmx.ajax("GET", url, { target: slot, swap: "innerHTML" }).then(function () {
      delete root.dataset.loading;
      if (formFor(root)) openForm(root, sel, focus);
      else if (focus) {
        var why = slot.querySelector(".cannot-comment");
        if (why) why.focus();
      }
    });
  }

  function openForm(root, sel, focus) {
    fillHistory(root, sel);
    if (!root.hasAttribute("data-commentable")) return;
    var form = formFor(root);
    if (!form) { loadForm(root, sel, focus); return; }
    var exact = sel.text.slice(sel.s16, sel.e16);
    var start = codePoints(sel.text.slice(0, sel.s16));
    form.querySelector("[name=version_id]").value = root.dataset.version;
    form.querySelector("[name=start]").value = start;
    form.querySelector("[name=end]").value = start + codePoints(exact);
    form.querySelector("[name=exact]").value = exact;
    form.querySelector("[data-quote]").textContent = exact.length > 300 ? exact.slice(0, 300) + "…" : exact;
    var error = form.querySelector(".form-error");
    if (error) error.textContent = "";
    form.hidden = false;
    showChosen(root, sel);
    if (focus) form.querySelector("[name=body]").focus();
  }

  // Once the focus moves to the form the browser's selection fades or goes: draw the chosen
  // passage in the text with a mark of our own until the form is sent or cancelled.
  function clearChosen() {
    var old = document.querySelectorAll("mark.chosen");
    for (var i = 0; i < old.length; i++) {
      var m = old[i];
      var parent = m.parentNode;
      while (m.firstChild) parent.insertBefore(m.firstChild, m);
      parent.removeChild(m);
      parent.normalize();
    }
  }

  function showChosen(root, sel) {
    clearChosen();
    var p = pointAt(root, sel.s16);
    var q = pointAt(root, sel.e16);
    var range = document.createRange();
    range.setStart(p[0], p[1]);
    range.setEnd(q[0], q[1]);
    var texts = [];
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) if (range.intersectsNode(node)) texts.push(node);
    texts.forEach(function (t) {
      var a = t === p[0] ? p[1] : 0;
      var b = t === q[0] ? q[1] : t.data.length;
      if (a >= b) return;
      var middle = t.splitText(a);
      middle.splitText(b - a);
      var mark = document.createElement("mark");
      mark.className = "chosen";
      middle.parentNode.insertBefore(mark, middle);
      mark.appendChild(middle);
    });
  }

  function check(focus) {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var root = commentable(sel.anchorNode) || commentable(sel.focusNode);
    var found = root && selectionIn(root);
    if (found) openForm(root, found, focus);
  }

  function schedule(ms, focus) {
    clearTimeout(timer);
    timer = setTimeout(function () { check(focus); }, ms);
  }

  document.addEventListener("pointerdown", function () { pointerDown = true; }, true);
  document.addEventListener("pointerup", function (ev) {
    pointerDown = false;
    if (commentable(ev.target)) schedule(30, ev.pointerType === "mouse");
  }, true);
  // Touch handles, and caret browsing (F7) with Shift+arrows, change the selection without a
  // pointer: follow them without stealing the focus.
  document.addEventListener("selectionchange", function () {
    if (!pointerDown && !mode) schedule(400, false);
  });

  // --- keyboard: select word by word without a mouse -------------------------------------

  function words(root) {
    var out = [];
    var text = root.textContent;
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) out.push([m.index, m.index + m[0].length]);
    return out;
  }

  function pointAt(root, offset) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    var last = null;
    while ((node = walker.nextNode())) {
      if (offset <= node.data.length) return [node, offset];
      offset -= node.data.length;
      last = node;
    }
    return [last || root, last ? last.data.length : 0];
  }

  function showMode() {
    var s = mode.words[mode.a][0];
    var e = mode.words[mode.b][1];
    var p = pointAt(mode.root, s);
    var q = pointAt(mode.root, e);
    window.getSelection().setBaseAndExtent(p[0], p[1], q[0], q[1]);
    var status = document.getElementById("select-status-" + mode.root.id.slice("text-".length));
    if (status) status.textContent = "Selected: " + mode.root.textContent.slice(s, e);
  }

  function startMode(root) {
    var list = words(root);
    if (!list.length) return;
    var i = 0;
    var sel = selectionIn(root);
    if (sel) {
      while (i < list.length - 1 && list[i][1] <= sel.s16) i++;
    }
    mode = { root: root, words: list, a: i, b: i };
    showMode();
  }

  document.addEventListener("keydown", function (ev) {
    var root = commentable(ev.target);
    if (!root || ev.target !== root || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var key = ev.key;
    if (!mode || mode.root !== root) {
      mode = null;
      if (key === "s" || key === "S") {
        ev.preventDefault();
        startMode(root);
      } else if (key === "h" || key === "H") {
        ev.preventDefault();
        showHistory(root);
      } else if (key === "Enter") {
        var sel = selectionIn(root);
        if (sel) { ev.preventDefault(); openForm(root, sel, true); }
      }
      return;
    }
    var last = mode.words.length - 1;
    if (key === "ArrowRight" && ev.shiftKey) mode.b = Math.min(mode.b + 1, last);
    else if (key === "ArrowLeft" && ev.shiftKey) mode.b = Math.max(mode.b - 1, mode.a);
    else if (key === "ArrowRight") mode.a = mode.b = Math.min(mode.b + 1, last);
    else if (key === "ArrowLeft") mode.a = mode.b = Math.max(mode.a - 1, 0);
    else if (key === "Enter") {
      ev.preventDefault();
      var chosen = selectionIn(root);
      mode = null;
      if (chosen) openForm(root, chosen, true);
      return;
    } else if (key === "h" || key === "H") {
      ev.preventDefault();
      mode = null;
      showHistory(root);
      return;
    } else if (key === "Escape") {
      mode = null;
      window.getSelection().removeAllRanges();
      return;
    } else return;
    ev.preventDefault();
    showMode();
  });

  // H: the history of the selected passage (of the whole provision without a selection).
  function showHistory(root) {
    var sel = selectionIn(root);
    var form = document.getElementById("history-form-" + root.id.slice("text-".length));
    if (!form) return;
    if (sel) fillHistory(root, sel);
    form.requestSubmit ? form.requestSubmit() : form.submit();
  }

  document.addEventListener("focusout", function (ev) {
    if (mode && ev.target === mode.root) mode = null;
  });

  // --- the margin: cancel buttons, marks linked to threads -------------------------------

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (t.closest("[data-cancel]")) {
      var form = t.closest("form");
      form.hidden = true;
      clearChosen();
      form.querySelector("[name=body]").value = "";
      return;
    }
    if (t.closest("[data-close-slot]")) {
      t.closest(".slot").innerHTML = "";
      return;
    }
    var mark = t.closest("mark[data-threads]");
    if (mark && window.getSelection().isCollapsed) showThread(mark.dataset.threads.split(" ")[0]);
  });

  // A long margin is loaded page by page: fetch up to the thread first if it is not there yet.
  function showThread(id) {
    var thread = document.getElementById("thread-" + id);
    if (thread) {
      thread.scrollIntoView({ block: "nearest" });
      highlightThread(thread, true);
      return;
    }
    var more = document.querySelector(".comments-margin li.more[data-part=placed]");
    if (!more) return;
    htmx.ajax("GET", more.getAttribute("hx-get") + "&until=" + encodeURIComponent(id),
      { target: more, swap: "outerHTML" }).then(function () {
      var loaded = document.getElementById("thread-" + id);
      if (loaded) { loaded.scrollIntoView({ block: "nearest" }); highlightThread(loaded, true); }
    });
  }

  function highlightThread(thread, on) {
    thread.classList.toggle("active", on);
    var marks = document.querySelectorAll('mark[data-threads~="' + thread.dataset.thread + '"]');
    for (var i = 0; i < marks.length; i++) marks[i].classList.toggle("active", on);
  }

  document.addEventListener("mouseover", function (ev) {
    var thread = ev.target.closest && ev.target.closest(".thread[data-thread]");
    var prev = document.querySelectorAll(".thread.active");
    for (var i = 0; i < prev.length; i++) if (prev[i] !== thread) highlightThread(prev[i], false);
    if (thread) highlightThread(thread, true);
  });

  // --- live refresh: never throw away what someone is typing -----------------------------

  function busy(margin) {
    if (mode) return true;
    if (margin.querySelector("form.comment-form:not([hidden])")) return true;
    if (margin.querySelector(".slot:not(:empty)")) return true;
    var fields = margin.querySelectorAll("textarea, input[name=quote]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value.trim() || fields[i] === document.activeElement) return true;
    }
    return false;
  }

  document.addEventListener("htmx:configRequest", function (ev) {
    var elt = ev.detail.elt;
    if (!elt.classList || !elt.classList.contains("poller")) return;
    var margin = elt.closest(".comments-margin");
    if (margin && busy(margin)) ev.detail.parameters.editing = "1";
  });

  // --- keyboard users keep their place across htmx swaps --------------------------------
  // Before a swap remember what had the focus; after it, focus the thing the server named
  // (the new comment), else the same element again, else the swapped-in element itself.

  var focusNext = null;
  var before = null;

  document.body.addEventListener("commentsChanged", function (ev) {
    clearChosen();
    if (ev.detail && ev.detail.focus) focusNext = ev.detail.focus;
  });

  document.addEventListener("htmx:beforeSwap", function (ev) {
    var active = document.activeElement;
    var target = ev.detail.target;
    before = {
      id: active && active !== document.body ? active.id : "",
      target: target && target.id ? target.id : "",
      inside: !!(active && target && target.contains(active))
    };
  });

  function focusOn(el) {
    if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus({ preventScroll: false });
  }

  // A comment posted from the instrument page: there is no margin to reload, so say so in the
  // slot, with the way to the provision's comments, and put the focus on that message.
  document.addEventListener("htmx:afterRequest", function (ev) {
    var elt = ev.detail.elt;
    var here = elt && elt.closest && elt.closest(".comment-here");
    if (!here || !ev.detail.successful || ev.detail.xhr.status !== 204) return;
    focusNext = null;
    clearChosen();
    var done = document.createElement("p");
    done.className = "flash flash-success";
    done.setAttribute("role", "status");
    done.tabIndex = -1;
    done.appendChild(document.createTextNode("Comment posted. "));
    var link = document.createElement("a");
    link.href = here.dataset.provisionUrl;
    link.textContent = "See it with the other comments on this provision";
    done.appendChild(link);
    here.replaceChildren(done);
    done.focus();
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (focusNext) {
      var named = document.getElementById(focusNext);
      if (named) {
        focusNext = null;
        focusOn(named);
        before = null;
        return;
      }
    }
    var had = before;
    before = null;
    if (!had || !had.inside) return; // the focus was elsewhere: leave it there
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    var again = had.id && document.getElementById(had.id);
    var swapped = had.target && document.getElementById(had.target);
    if (again) focusOn(again);
    else if (swapped) focusOn(swapped.querySelector(".text[tabindex], h1, h2, h3") || swapped);
  });

  // The editor's Cancel or Save puts the plain text back: mark the passages again.
  document.addEventListener("htmx:afterSwap", function (ev) {
    var target = ev.detail.target;
    if (!target || !target.id || target.id.indexOf("block-") !== 0) return;
    var margin = document.getElementById("comments-" + target.id.slice("block-".length));
    var block = document.getElementById(target.id);
    if (margin && block && block.querySelector(".text")) htmx.trigger(margin, "refresh");
  });
})();
