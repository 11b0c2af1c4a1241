// The outline is open by default (it works without scripts); on a narrow screen it starts
// closed so the text comes first, and following one of its links closes it again.
(function () {
  var outline = document.querySelector("[data-outline]");
  if (!outline) return;
  var narrow = window.matchMedia("(max-width: 69.99em)");
  if (narrow.matches) outline.open = false;
  outline.addEventListener("click", function (event) {
    if (event.target.closest("a") && narrow.matches) outline.open = false;
  });
})();
