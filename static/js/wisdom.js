// "Save as wisdom" from a selection: select words inside a post and a small button offers
// to propose them. Without this script, each post's "Save as wisdom" link opens the same form.
(function () {
  "use strict";

  var MAX = 2000;
  var button = null;

  function postOf(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    var prose = element && element.closest(".post .prose");
    // Quoted posts and cited wisdom are other members' words: not this author's to give.
    if (!prose || element.closest("blockquote.quote")) {
      return null;
    }
    return prose.closest(".post");
  }

  function hide() {
    if (button) {
      button.hidden = true;
    }
  }

  function ensureButton() {
    if (!button) {
      button = document.createElement("a");
      button.className = "button small wisdom-pick";
      button.textContent = "Save as wisdom";
      button.hidden = true;
      document.body.appendChild(button);
    }
    return button;
  }

  function update() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
      hide();
      return;
    }
    var post = postOf(selection.anchorNode);
    // Both ends in the same post: a passage never spans two members' words.
    if (!post || post !== postOf(selection.focusNode)) {
      hide();
      return;
    }
    var link = post.querySelector("a.save-wisdom");
    var text = selection.toString().trim();
    if (!link || !text) {
      hide();
      return;
    }
    var rect = selection.getRangeAt(0).getBoundingClientRect();
    var pick = ensureButton();
    pick.href = link.getAttribute("href") + "?passage=" + encodeURIComponent(text.slice(0, MAX));
    pick.hidden = false;
    // Just under the selection, kept inside the window on narrow screens.
    var left = Math.max(8, Math.min(rect.left, window.innerWidth - pick.offsetWidth - 8));
    pick.style.top = window.scrollY + rect.bottom + 8 + "px";
    pick.style.left = window.scrollX + left + "px";
  }

  var pending = null;
  document.addEventListener("selectionchange", function () {
    // Wait for the selection to settle: selectionchange fires on every character dragged over.
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 250);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      hide();
    }
  });
})();
