// The composer's "Cite wisdom" panel: search approved wisdom as you type, and put
// `[wisdom=ID]` on its own line at the cursor. The server renders the quote from its
// records when the post is saved, so nothing here needs to be trusted.
(function () {
  "use strict";

  var DELAY_MS = 250;
  var LIMIT = "8";
  var EXCERPT = 240;

  function shorten(text) {
    var flat = text.replace(/\s+/g, " ").trim();
    return flat.length > EXCERPT ? flat.slice(0, EXCERPT - 1).trimEnd() + "…" : flat;
  }

  function insertLine(textarea, line) {
    var value = textarea.value;
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    if (typeof start !== "number") start = end = value.length;
    var block = line + "\n";
    // The marker only works alone on its line: break the line before it if needed.
    if (start > 0 && value.charAt(start - 1) !== "\n") block = "\n" + block;
    textarea.setRangeText(block, start, end, "end");
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setUp(panel) {
    var textarea = document.getElementById(panel.dataset.citeTarget);
    var box = panel.querySelector(".cite-search");
    var input = box && box.querySelector("input");
    var list = panel.querySelector(".cite-results");
    var status = panel.querySelector(".cite-status");
    if (!textarea || !input || !list || !status) return;
    box.hidden = false;

    var timer = 0;
    var controller = null;
    var asked = null;

    function result(item) {
      var li = document.createElement("li");
      li.className = "cite-result";
      var quote = document.createElement("blockquote");
      quote.textContent = shorten(item.text);
      var by = document.createElement("p");
      by.className = "meta";
      by.textContent = "— " + item.author + (item.title ? " · " + item.title : "");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "small secondary";
      button.textContent = "Insert";
      button.setAttribute("aria-label", "Insert the quote from " + item.author);
      button.addEventListener("click", function () {
        insertLine(textarea, item.markdown);
        status.textContent = "Added " + item.markdown + " to your post.";
      });
      li.append(quote, by, button);
      return li;
    }

    function show(results) {
      list.replaceChildren.apply(list, results.map(result));
      status.textContent = results.length
        ? results.length + (results.length === 1 ? " quote found." : " quotes found.")
        : "Nothing matched those words. Try fewer or different ones.";
    }

    function search() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (controller) controller.abort();
      if (!q) {
        list.replaceChildren();
        status.textContent = "";
        return;
      }
      controller = new AbortController();
      var params = new URLSearchParams({ q: q, limit: LIMIT });
      if (panel.dataset.citePublic === "true") params.set("public", "true");
      status.textContent = "Searching…";
      fetch("/api/v1/wisdom/search?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller.signal,
      })
        .then(function (response) {
          if (!response.ok) throw new Error("search answered " + response.status);
          return response.json();
        })
        .then(function (data) { show(data.results); })
        .catch(function (error) {
          if (error.name === "AbortError") return;
          asked = null;
          status.textContent = "Search isn't answering just now; try the search page link above.";
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      // Enter here means "search", never "post my reply".
      if (event.key !== "Enter") return;
      event.preventDefault();
      clearTimeout(timer);
      search();
    });
  }

  document.querySelectorAll(".cite-panel").forEach(setUp);
})();
