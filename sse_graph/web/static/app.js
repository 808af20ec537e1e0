/* sse-graph web client: small enhancements only. Every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Graph view: on hover or keyboard focus of a box, light up every path through it.
  function paths(svg, id) {
    var edges = Array.prototype.slice.call(svg.querySelectorAll("path.edge"));
    var lit = new Set([id]);
    var litEdges = new Set();
    [["data-from", "data-to"], ["data-to", "data-from"]].forEach(function (dir) {
      var queue = [id];
      var seen = new Set([id]);
      while (queue.length) {
        var cur = queue.shift();
        edges.forEach(function (e) {
          if (e.getAttribute(dir[0]) === cur) {
            var next = e.getAttribute(dir[1]);
            litEdges.add(e);
            lit.add(next);
            if (!seen.has(next)) { seen.add(next); queue.push(next); }
          }
        });
      }
    });
    return { nodes: lit, edges: litEdges };
  }

  function clear(svg) {
    svg.classList.remove("has-focus");
    svg.querySelectorAll(".lit").forEach(function (el) { el.classList.remove("lit"); });
  }

  function light(svg, node) {
    clear(svg);
    var found = paths(svg, node.getAttribute("data-node"));
    svg.classList.add("has-focus");
    found.edges.forEach(function (e) { e.classList.add("lit"); });
    svg.querySelectorAll("a.node").forEach(function (a) {
      if (found.nodes.has(a.getAttribute("data-node"))) { a.classList.add("lit"); }
    });
  }

  document.querySelectorAll("svg.graph").forEach(function (svg) {
    svg.querySelectorAll("a.node").forEach(function (a) {
      a.addEventListener("mouseenter", function () { light(svg, a); });
      a.addEventListener("focus", function () { light(svg, a); });
      a.addEventListener("mouseleave", function () { clear(svg); });
      a.addEventListener("blur", function () { clear(svg); });
    });
  });
})();
