// After a failed submission, move keyboard and screen-reader focus to the error summary.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});

// Escape closes the open phone menu and returns focus to its toggle button (a drop-down open
// inside the menu closes first: Bootstrap handles that Escape and marks it handled).
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape" || event.defaultPrevented || !window.bootstrap) {
    return;
  }
  var toggler = document.querySelector(".navbar-toggler[data-bs-target]");
  var menu = toggler && document.querySelector(toggler.getAttribute("data-bs-target"));
  if (!menu || !menu.classList.contains("show") || toggler.offsetParent === null) {
    return;
  }
  window.bootstrap.Collapse.getOrCreateInstance(menu, { toggle: false }).hide();
  toggler.focus();
});
