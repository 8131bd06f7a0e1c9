/* nmnlp review page: filters, pagination and note rendering.
 *
 * Everything derived from notes (ids, text, sections, evidence) is inserted
 * with textContent / createTextNode or as an attribute value (title); this
 * script never parses strings as HTML. Note text arrives pre-cut into
 * segments at the mention offsets, so no offset arithmetic happens here.
 */
(function () {
  "use strict";

  var dataNode = document.getElementById("nmnlp-data");
  if (!dataNode) {
    return;
  }
  var data = JSON.parse(dataNode.textContent);
  var notes = data.notes;
  var concepts = data.concepts; /* [key, label, colour index] */
  var pageSize = data.pageSize || 50;
  var labels = {};
  var colours = {};
  concepts.forEach(function (c) {
    labels[c[0]] = c[1];
    colours[c[0]] = c[2];
  });

  var controls = {
    form: document.getElementById("filters"),
    flag: document.getElementById("f-flag"),
    concept: document.getElementById("f-concept"),
    status: document.getElementById("f-status"),
    search: document.getElementById("f-search"),
    group: document.getElementById("f-group"),
    nm: document.getElementById("f-nm")
  };
  var list = document.getElementById("note-list");
  var count = document.getElementById("result-count");
  var pagers = [document.getElementById("pager-top"), document.getElementById("pager-bottom")];
  var state = { page: 0, matches: [] };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function labelOf(key) {
    return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : String(key);
  }

  function statusOf(note, key) {
    return Object.prototype.hasOwnProperty.call(note.st, key) ? note.st[key] : "not_mentioned";
  }

  function safeToken(value) {
    /* statuses become class names; keep them to known word characters */
    return /^[a-z_]+$/.test(value) ? value : "other";
  }

  function formatNumber(value, digits) {
    return Number(value).toLocaleString("en-US", {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits
    });
  }

  /* ---- filtering --------------------------------------------------------- */

  function matches(note, f) {
    if (f.flag === "flagged" && !note.flag) {
      return false;
    }
    if (f.flag === "unflagged" && note.flag) {
      return false;
    }
    if (f.search) {
      var hay = String(note.id).toLowerCase();
      if (note.pid) {
        hay += "\n" + String(note.pid).toLowerCase();
      }
      if (hay.indexOf(f.search) === -1) {
        return false;
      }
    }
    if (f.status || f.concept) {
      var keys = f.concept ? [f.concept] : concepts.map(function (c) { return c[0]; });
      return keys.some(function (key) {
        var status = statusOf(note, key);
        if (!f.status) {
          return status !== "not_mentioned"; /* a finding, any status: mentioned */
        }
        return status === f.status;
      });
    }
    return true;
  }

  function groupByPatient(found) {
    var groups = [];
    var byPid = {};
    found.forEach(function (note) {
      var key = note.pid ? "p:" + note.pid : "none";
      if (!Object.prototype.hasOwnProperty.call(byPid, key)) {
        byPid[key] = { pid: note.pid, notes: [] };
        groups.push(byPid[key]);
      }
      byPid[key].notes.push(note);
    });
    /* notes arrive sorted (flagged, score), so a group's first note is its best;
       groups keep that order, notes without a patient id go last */
    groups.sort(function (a, b) {
      if (!a.pid !== !b.pid) {
        return a.pid ? -1 : 1;
      }
      return 0;
    });
    var out = [];
    groups.forEach(function (g) {
      out.push.apply(out, g.notes);
    });
    return out;
  }

  function currentFilters() {
    return {
      flag: controls.flag.value,
      concept: controls.concept.value,
      status: controls.status.value,
      search: controls.search.value.trim().toLowerCase(),
      group: !!(controls.group && controls.group.checked)
    };
  }

  function applyFilters() {
    var f = currentFilters();
    var found = notes.filter(function (note) { return matches(note, f); });
    state.matches = f.group ? groupByPatient(found) : found;
    state.grouped = f.group;
    state.page = 0;
    render();
  }

  /* ---- one note ---------------------------------------------------------- */

  function mentionTitle(m) {
    var title = labelOf(m[0]) + ": " + m[1];
    if (m[2]) {
      title += " (section: " + m[2] + ")";
    }
    return title;
  }

  function statusTable(note) {
    var table = el("table", "statuses");
    table.appendChild(el("caption", null, "Findings"));
    var body = el("tbody");
    var shown = 0;
    concepts.forEach(function (c) {
      var status = statusOf(note, c[0]);
      var row = el("tr", status === "not_mentioned" ? "nm" : null);
      var head = el("th", null, c[1]);
      head.scope = "row";
      row.appendChild(head);
      var cell = el("td");
      cell.appendChild(el("span", "st st-" + safeToken(status), status.replace("_", " ")));
      row.appendChild(cell);
      body.appendChild(row);
      if (status !== "not_mentioned") {
        shown += 1;
      }
    });
    if (!shown) {
      var empty = el("tr");
      var td = el("td", null, "No finding mentioned.");
      td.colSpan = 2;
      empty.appendChild(td);
      body.appendChild(empty);
    }
    table.appendChild(body);
    return table;
  }

  function facts(note) {
    var dl = el("dl", "facts");
    var ck = "not found";
    if (note.ck !== null && note.ck !== undefined) {
      ck = formatNumber(note.ck, 0) + " U/L";
      if (note.fold !== null && note.fold !== undefined) {
        ck += " (" + formatNumber(note.fold, 1) + " \u00d7 upper limit)";
      }
    }
    dl.appendChild(el("dt", null, "CK max"));
    dl.appendChild(el("dd", null, ck));
    dl.appendChild(el("dt", null, "Reasons"));
    dl.appendChild(el("dd", null, note.ev || "none"));
    return dl;
  }

  function noteText(note) {
    var box = el("details", "text");
    box.open = true;
    var marked = note.seg.filter(function (s) { return typeof s !== "string"; }).length;
    box.appendChild(
      el("summary", null, "Note text (" + marked + " highlighted " +
        (marked === 1 ? "passage" : "passages") + ")")
    );
    var text = el("div", "note-text");
    note.seg.forEach(function (s) {
      if (typeof s === "string") {
        text.appendChild(document.createTextNode(s));
        return;
      }
      var mark = el("mark", s[1], s[0]);
      mark.title = s[2].map(function (i) { return mentionTitle(note.m[i]); }).join("\n");
      text.appendChild(mark);
    });
    box.appendChild(text);
    return box;
  }

  function snippets(note) {
    var wrap = el("div");
    wrap.appendChild(el("strong", null, "Findings (" + note.m.length + ")"));
    if (!note.m.length) {
      wrap.appendChild(el("p", null, "No finding mentioned."));
      return wrap;
    }
    var ul = el("ul", "snippets");
    note.m.forEach(function (m) {
      var li = el("li");
      var status = safeToken(m[1]);
      var mark = el("mark", "hl k" + (colours[m[0]] || 0) + " m-" + status, m[3]);
      mark.title = mentionTitle(m);
      li.appendChild(mark);
      li.appendChild(document.createTextNode(" " + labelOf(m[0]) + " "));
      li.appendChild(el("span", "st st-" + status, m[1]));
      if (m[2]) {
        li.appendChild(el("span", "sec", " in " + m[2]));
      }
      ul.appendChild(li);
    });
    wrap.appendChild(ul);
    return wrap;
  }

  function noteCard(note, headingTag) {
    var card = el("article", note.flag ? "note flagged" : "note");
    var head = el("div", "note-head");
    var title = el(headingTag, null, note.id);
    head.appendChild(title);
    head.appendChild(el("span", note.flag ? "badge flag" : "badge noflag",
      note.flag ? "flagged" : "not flagged"));
    head.appendChild(el("span", "score", "score " + formatNumber(note.score, 2)));
    if (note.pid) {
      head.appendChild(el("span", "pid", "patient " + note.pid));
    }
    card.appendChild(head);
    var body = el("div", "note-body");
    body.appendChild(statusTable(note));
    var right = el("div");
    right.appendChild(facts(note));
    right.appendChild(note.seg ? noteText(note) : snippets(note));
    body.appendChild(right);
    card.appendChild(body);
    return card;
  }

  /* ---- page -------------------------------------------------------------- */

  function pageCount() {
    return Math.max(1, Math.ceil(state.matches.length / pageSize));
  }

  function goTo(page, scroll) {
    state.page = Math.min(Math.max(0, page), pageCount() - 1);
    render();
    if (scroll) {
      document.getElementById("notes-heading").scrollIntoView();
    }
  }

  function pagerButton(text, label, page, disabled, scroll) {
    var button = el("button", null, text);
    button.type = "button";
    button.setAttribute("aria-label", label);
    button.disabled = disabled;
    button.addEventListener("click", function () { goTo(page, scroll); });
    return button;
  }

  function renderPager(pager, scroll) {
    pager.textContent = "";
    var pages = pageCount();
    if (pages <= 1) {
      return;
    }
    var p = state.page;
    pager.appendChild(pagerButton("\u00ab First", "First page", 0, p === 0, scroll));
    pager.appendChild(pagerButton("\u2039 Previous", "Previous page", p - 1, p === 0, scroll));
    pager.appendChild(el("span", "status", "Page " + (p + 1) + " of " + pages));
    pager.appendChild(pagerButton("Next \u203a", "Next page", p + 1, p >= pages - 1, scroll));
    pager.appendChild(pagerButton("Last \u00bb", "Last page", pages - 1, p >= pages - 1, scroll));
  }

  function render() {
    var total = state.matches.length;
    var first = state.page * pageSize;
    var shown = state.matches.slice(first, first + pageSize);
    if (!notes.length) {
      count.textContent = "No notes were processed.";
    } else if (!total) {
      count.textContent = "No note matches these filters (" +
        formatNumber(notes.length, 0) + " notes in total).";
    } else {
      count.textContent = "Showing " + formatNumber(first + 1, 0) + "\u2013" +
        formatNumber(first + shown.length, 0) + " of " + formatNumber(total, 0) +
        " matching notes (" + formatNumber(notes.length, 0) + " in total).";
    }
    var fragment = document.createDocumentFragment();
    var lastPid;
    shown.forEach(function (note, i) {
      if (state.grouped && (i === 0 || note.pid !== lastPid)) {
        var label = note.pid ? "Patient " + note.pid : "No patient id";
        if (i === 0 && first > 0 && state.matches[first - 1].pid === note.pid) {
          label += " (continued)";
        }
        fragment.appendChild(el("h3", "patient", label));
        lastPid = note.pid;
      }
      fragment.appendChild(noteCard(note, state.grouped ? "h4" : "h3"));
    });
    list.textContent = "";
    list.appendChild(fragment);
    renderPager(pagers[0], false);
    renderPager(pagers[1], true);
  }

  /* ---- wiring ------------------------------------------------------------ */

  var searchTimer = null;
  controls.form.addEventListener("submit", function (event) {
    event.preventDefault();
    applyFilters();
  });
  controls.form.addEventListener("reset", function () {
    window.setTimeout(function () {
      document.body.classList.toggle("show-nm", controls.nm.checked);
      applyFilters();
    }, 0);
  });
  [controls.flag, controls.concept, controls.status, controls.group].forEach(function (c) {
    if (c) {
      c.addEventListener("change", applyFilters);
    }
  });
  controls.search.addEventListener("input", function () {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(applyFilters, 150);
  });
  controls.nm.addEventListener("change", function () {
    document.body.classList.toggle("show-nm", controls.nm.checked);
  });
  document.body.classList.toggle("show-nm", controls.nm.checked);
  applyFilters();
})();
