// After a failed submission, move keyboard and screen-reader focus to the error summary.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
