/* Collapses the main navigation behind a button on narrow screens. Without this file the
   navigation simply stays open and wraps, so nothing depends on it. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function setOpen(toggle, nav, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) {
      return;
    }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      setOpen(toggle, nav, toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) {
        setOpen(toggle, nav, false);
        toggle.focus();
      }
    });
  });
})();
