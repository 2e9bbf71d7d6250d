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

// A form is sent once: after its first submission a second one (a double click, Enter pressed
// twice) is ignored and its buttons show as disabled. They are marked with aria-disabled and
// Bootstrap's "disabled" class rather than the disabled attribute, so the pressed button is
// still sent with the form and keeps the keyboard focus. The server refuses a repeated
// submission too (talentstation/submissions.py); this saves the second request. A form that
// answers with a download leaves the page as it was: it can be sent again after a while, and
// after going back to the page (which the browser may restore as it was left).
(function () {
  var RESET_AFTER = 10000;

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.type === "submit";
    });
  }

  function reset(form) {
    delete form.dataset.submitted;
    form.removeAttribute("aria-busy");
    submitButtons(form).forEach(function (button) {
      button.classList.remove("disabled");
      button.removeAttribute("aria-disabled");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method !== "post" || form.target === "_blank") {
      return;
    }
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) {
      return;
    }
    form.dataset.submitted = "1";
    form.setAttribute("aria-busy", "true");
    submitButtons(form).forEach(function (button) {
      button.classList.add("disabled");
      button.setAttribute("aria-disabled", "true");
    });
    window.setTimeout(function () { reset(form); }, RESET_AFTER);
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-submitted]").forEach(reset);
    }
  });
})();
