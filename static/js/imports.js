// The import preview: a correction refused by the server (400/413) is shown above the preview
// instead of being dropped silently, since htmx swaps only 2xx answers by default.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (event.detail.target.id === "import-preview" && status >= 400 && status < 500) {
    const box = document.getElementById("import-error");
    box.textContent = event.detail.xhr.responseText.replace(/<[^>]*>/g, "").trim();
    box.focus();
    event.detail.shouldSwap = false;
  }
});
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target.id === "import-preview") {
    document.getElementById("import-error").textContent = "";
    // A live region that stays in the page announces the new preview to screen readers.
    const status = document.getElementById("import-status");
    document.getElementById("import-announce").textContent =
      "Preview updated: " + (status ? status.textContent : "");
  }
});
