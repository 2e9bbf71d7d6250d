// After a failed submission, move keyboard and screen-reader focus to the error summary.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});

// Escape closes the open phone menu and returns focus to its toggle button. A drop-down open
// inside the menu closes first (Bootstrap handles that Escape). Listened to on the window in
// the capture phase, before Bootstrap (whose delegated handlers capture on the document), which
// marks every Escape on a drop-down's button as handled, open or not (the staff menu starts
// with one).
window.addEventListener("keydown", function (event) {
  if (event.key !== "Escape" || event.defaultPrevented || !window.bootstrap) {
    return;
  }
  var toggler = document.querySelector(".navbar-toggler[data-bs-target]");
  var menu = toggler && document.querySelector(toggler.getAttribute("data-bs-target"));
  if (!menu || !menu.classList.contains("show") || toggler.offsetParent === null) {
    return;
  }
  if (menu.querySelector(".dropdown-menu.show")) {
    return;
  }
  window.bootstrap.Collapse.getOrCreateInstance(menu, { toggle: false }).hide();
  toggler.focus();
}, true);
