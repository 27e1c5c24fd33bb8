/* Accord's navigation: on a phone the menu folds behind the "Menu" button; the current page's link is marked.
   Without JavaScript the menu simply stays open (the folding needs the "js" class this script sets). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var menu = document.getElementById("site-menu");
    if (toggle && menu) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        menu.classList.toggle("open", open);
        if (open) {
          var first = menu.querySelector("a, button");
          if (first) { first.focus(); }
        }
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.classList.contains("open")) {
          menu.classList.remove("open");
          toggle.setAttribute("aria-expanded", "false");
          toggle.focus();
        }
      });
    }
    var path = window.location.pathname;
    Array.prototype.forEach.call(document.querySelectorAll(".main-nav a, .desk-nav a"), function (a) {
      if (a.getAttribute("href") === path) { a.setAttribute("aria-current", "page"); }
    });
  });
})();
