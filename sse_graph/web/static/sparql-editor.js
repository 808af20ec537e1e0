/* SPARQL editor: syntax colouring under a plain <textarea>, Ctrl+Enter to run, results fetched
   from /sparql. Without JavaScript the form posts to /query and the server renders the table. */
(function () {
  "use strict";

  var KEYWORDS = ("BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED ORDER BY ASC DESC " +
    "LIMIT OFFSET DISTINCT REDUCED OPTIONAL GRAPH UNION MINUS FILTER BIND VALUES SERVICE SILENT " +
    "GROUP HAVING AS NOT IN EXISTS UNDEF TRUE FALSE").split(" ");
  var FUNCTIONS = ("STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND " +
    "CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR " +
    "MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 " +
    "COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR " +
    "REPLACE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR").split(" ");
  var KW = new Set(KEYWORDS);
  var FN = new Set(FUNCTIONS);

  // One regex, tried at each position; the first alternative that matches wins.
  var TOKEN = new RegExp([
    "(#[^\\n]*)",                                           // 1 comment
    "(<[^<>\"{}|^`\\\\\\s]*>)",                              // 2 IRI
    "(\"\"\"[\\s\\S]*?(?:\"\"\"|$)|'''[\\s\\S]*?(?:'''|$)" + // 3 strings (long, then short)
      "|\"(?:[^\"\\\\\\n]|\\\\.)*(?:\"|$)|'(?:[^'\\\\\\n]|\\\\.)*(?:'|$))",
    "([?$][A-Za-z0-9_\\u00B7-\\uFFFF]+)",                   // 4 variable
    "(@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",                        // 5 language tag / @prefix
    "((?:[A-Za-z\\u00C0-\\uFFFF][\\w.\\-\\u00B7-\\uFFFF]*)?:(?:[\\w\\-\\u00B7-\\uFFFF%:]|\\.(?=[\\w\\-:%]))*)", // 6 prefixed name
    "([+-]?(?:\\d+\\.\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?|\\d+(?:[eE][+-]?\\d+)?))", // 7 number
    "([A-Za-z_][A-Za-z0-9_]*)",                              // 8 word
    "(\\^\\^|&&|\\|\\||!=|<=|>=|[{}()\\[\\].,;*+\\-/=<>!|^])", // 9 operator / punctuation
  ].join("|"), "y");

  function esc(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function span(cls, text) { return '<span class="tok-' + cls + '">' + esc(text) + "</span>"; }

  function highlight(text) {
    var out = "";
    var i = 0;
    while (i < text.length) {
      TOKEN.lastIndex = i;
      var m = TOKEN.exec(text);
      if (!m || m[0].length === 0) {           // whitespace or an unknown character
        out += esc(text[i]);
        i += 1;
        continue;
      }
      var t = m[0];
      if (m[1]) out += span("com", t);
      else if (m[2]) out += span("iri", t);
      else if (m[3]) out += span("str", t);
      else if (m[4]) out += span("var", t);
      else if (m[5]) out += span("lang", t);
      else if (m[6]) out += span("pn", t);
      else if (m[7]) out += span("num", t);
      else if (m[8]) {
        var up = t.toUpperCase();
        if (KW.has(up) || t === "a") out += span("kw", t);
        else if (FN.has(up)) out += span("fn", t);
        else out += esc(t);
      } else if (m[9]) out += span("op", t);
      else out += esc(t);
      i += t.length;
    }
    return out;
  }

  function setup(editor) {
    var area = editor.querySelector("textarea");
    var code = editor.querySelector("pre code");
    var pre = editor.querySelector("pre");
    function paint() {
      var text = area.value;
      // a trailing newline needs a character after it, or the last line collapses
      code.innerHTML = highlight(text) + (text.endsWith("\n") ? " " : "");
      pre.style.height = area.offsetHeight + "px";
      pre.scrollTop = area.scrollTop;
      pre.scrollLeft = area.scrollLeft;
    }
    area.addEventListener("input", paint);
    area.addEventListener("scroll", function () {
      pre.scrollTop = area.scrollTop;
      pre.scrollLeft = area.scrollLeft;
    });
    if (window.ResizeObserver) new ResizeObserver(paint).observe(area);
    paint();
    editor.classList.add("live");  // only now hide the textarea's own text
    return { area: area, paint: paint };
  }

  // ---- running queries through /sparql --------------------------------------------------

  function messages() {
    var el = document.getElementById("query-messages");
    return el ? JSON.parse(el.textContent) : {};
  }
  var ID_BASE = messages().id_base || "https://w3id.org/sse-kg/id/";

  function fmt(s, values) {
    return String(s).replace(/\{(\w+)\}/g, function (_, k) { return values[k] != null ? values[k] : ""; });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  function termNode(term, lang) {
    if (!term) return document.createTextNode("");
    if (term.type === "uri") {
      if (term.value.indexOf(ID_BASE) === 0) {
        var local = term.value.slice(ID_BASE.length);
        return el("a", { href: "/id/" + local + "?lang=" + lang, title: term.value }, local);
      }
      return el("a", { href: term.value, rel: "external", class: "ext" }, term.value);
    }
    if (term.type === "bnode") return el("code", {}, "_:" + term.value);
    var frag = document.createDocumentFragment();
    var s = el("span", term["xml:lang"] ? { lang: term["xml:lang"].split("-")[0] } : {}, term.value);
    frag.appendChild(s);
    if (term["xml:lang"]) {
      frag.appendChild(document.createTextNode(" "));
      frag.appendChild(el("span", { class: "lang-tag" }, "@" + term["xml:lang"]));
    }
    return frag;
  }

  function parseNTriples(text) {
    var term = /<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<([^>]*)>)?/g;
    var rows = [];
    text.split("\n").forEach(function (line) {
      if (!line.trim() || line.trim()[0] === "#") return;
      var terms = [];
      var m;
      term.lastIndex = 0;
      while ((m = term.exec(line)) && terms.length < 3) {
        if (m[1] != null) terms.push({ type: "uri", value: m[1] });
        else if (m[2] != null) terms.push({ type: "bnode", value: m[2] });
        else {
          var v;
          try { v = JSON.parse('"' + m[3] + '"'); } catch (e) { v = m[3]; }
          var t = { type: "literal", value: v };
          if (m[4]) t["xml:lang"] = m[4];
          if (m[5]) t.datatype = m[5];
          terms.push(t);
        }
      }
      if (terms.length === 3) rows.push({ subject: terms[0], predicate: terms[1], object: terms[2] });
    });
    return { head: { vars: ["subject", "predicate", "object"] }, results: { bindings: rows } };
  }

  function render(box, data, ms, query, lang, msg, graph) {
    box.innerHTML = "";
    box.appendChild(el("h2", { id: "results-h" }, msg.results));
    var meta = el("p", { class: "result-meta" });
    if (data.boolean !== undefined) {
      meta.textContent = data.boolean ? msg.ask_true : msg.ask_false;
      box.appendChild(meta);
      return;
    }
    var rows = data.results.bindings;
    meta.textContent = fmt(msg.count, { n: rows.length }) + " · " + fmt(msg.time, { ms: Math.round(ms) });
    box.appendChild(meta);
    var dl = el("p", { class: "downloads" }, msg.download + ": ");
    (graph ? [["ttl", "Turtle"], ["jsonld", "JSON-LD"], ["nt", "N-Triples"]] : [["json", "JSON"], ["csv", "CSV"]])
      .forEach(function (f, i) {
        if (i) dl.appendChild(document.createTextNode(" · "));
        dl.appendChild(el("a", { href: "/sparql?query=" + encodeURIComponent(query) + "&format=" + f[0], download: "" }, f[1]));
      });
    box.appendChild(dl);
    var wrap = el("div", { class: "table-wrap" });
    var table = el("table", { class: "data results-table" });
    table.appendChild(el("caption", {}, msg.caption));
    var thead = el("thead");
    var tr = el("tr");
    data.head.vars.forEach(function (v) { tr.appendChild(el("th", { scope: "col" }, "?" + v)); });
    thead.appendChild(tr);
    table.appendChild(thead);
    var tbody = el("tbody");
    rows.slice(0, 1000).forEach(function (row) {
      var r = el("tr");
      data.head.vars.forEach(function (v) {
        var td = el("td");
        td.appendChild(termNode(row[v], lang));
        r.appendChild(td);
      });
      tbody.appendChild(r);
    });
    if (!rows.length) {
      var empty = el("tr");
      empty.appendChild(el("td", { colspan: String(data.head.vars.length || 1), class: "muted" }, msg.empty));
      tbody.appendChild(empty);
    }
    table.appendChild(tbody);
    wrap.appendChild(table);
    box.appendChild(wrap);
  }

  function showError(box, body, status, msg, area) {
    box.innerHTML = "";
    box.appendChild(el("h2", { id: "results-h" }, msg.error));
    var div = el("div", { class: "error-box", role: "alert" });
    var head = el("p");
    head.appendChild(el("strong", {}, status + " " + (body.error || "")));
    if (body.line) head.appendChild(document.createTextNode(" — " + fmt(msg.error_at, { line: body.line, column: body.column })));
    div.appendChild(head);
    var p = el("p", { lang: "en" });
    p.appendChild(el("code", {}, body.message || String(status)));
    div.appendChild(p);
    box.appendChild(div);
    if (body.line) {   // put the caret where the engine stopped
      var lines = area.value.split("\n");
      var pos = 0;
      for (var i = 0; i < body.line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
      pos += Math.max(0, (body.column || 1) - 1);
      area.focus();
      area.setSelectionRange(pos, pos);
    }
  }

  function enhanceForm(form, ed) {
    var msg = messages();
    var lang = form.querySelector('input[name="lang"]').value;
    var example = form.querySelector('input[name="example"]');
    var original = ed.area.value;
    var box = document.getElementById("results");
    form.addEventListener("submit", function (ev) {
      var query = ed.area.value;
      // a curated query with parameters is bound by the server while its text is unchanged
      if (example && form.querySelector(".params") && query.trim() === original.trim()) return;
      if (!window.fetch) return;
      ev.preventDefault();
      var button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      box.setAttribute("aria-busy", "true");
      var started = performance.now();
      fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
        },
        body: "query=" + encodeURIComponent(query),
      }).then(function (resp) {
        var type = resp.headers.get("content-type") || "";
        return resp.text().then(function (text) {
          var ms = performance.now() - started;
          if (!resp.ok) {
            var body;
            try { body = JSON.parse(text); } catch (e) { body = { message: text }; }
            showError(box, body, resp.status, msg, ed.area);
            return;
          }
          var graph = type.indexOf("n-triples") >= 0;
          var data = graph ? parseNTriples(text) : JSON.parse(text);
          render(box, data, ms, query, lang, msg, graph);
          var url = "/query?" + new URLSearchParams({ query: query, lang: lang }).toString();
          if (url.length < 6000) history.replaceState(null, "", url);
        });
      }).catch(function (err) {
        showError(box, { message: String(err) }, 0, msg, ed.area);
      }).finally(function () {
        button.disabled = false;
        box.removeAttribute("aria-busy");
        var h = document.getElementById("results-h");
        if (h) { h.setAttribute("tabindex", "-1"); }
      });
    });
    ed.area.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
    });
  }

  document.querySelectorAll("[data-editor]").forEach(function (editor) {
    var ed = setup(editor);
    var form = editor.closest("form");
    if (form) enhanceForm(form, ed);
  });

  window.sseHighlight = highlight;  // for tests and the curious
})();
