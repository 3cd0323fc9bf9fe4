// Narrow screens: a navigation folds behind its button (<button data-menu-toggle aria-controls aria-expanded>).
// The button opens and closes it, Escape closes it and gives the focus back to the button, following a link or
// clicking elsewhere closes it. Without JavaScript the buttons stay hidden and every navigation shows in full.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setup() {
    var toggles = document.querySelectorAll("[data-menu-toggle]");
    Array.prototype.forEach.call(toggles, function (button) {
      var menu = document.getElementById(button.getAttribute("aria-controls"));
      if (!menu) { return; }

      function isOpen() { return button.getAttribute("aria-expanded") === "true"; }
      function set(open) {
        button.setAttribute("aria-expanded", open ? "true" : "false");
        menu.classList.toggle("is-open", open);
      }

      button.addEventListener("click", function () { set(!isOpen()); });
      document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape" || !isOpen()) { return; }
        var inside = menu.contains(document.activeElement) || document.activeElement === button;
        set(false);
        if (inside) { button.focus(); }
      });
      document.addEventListener("click", function (event) {
        if (isOpen() && !menu.contains(event.target) && !button.contains(event.target)) { set(false); }
      });
      menu.addEventListener("click", function (event) {
        if (event.target.closest("a")) { set(false); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
