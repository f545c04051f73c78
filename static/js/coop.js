// The site's own script, loaded on every page (templates/base.html); the Content-Security-Policy allows no inline script.

// A form that was refused opens on the summary of its errors ([data-error-summary], templates/coop/error_summary.html):
// focused, it is read out by a screen reader and is where the keyboard continues from, its links leading to each field.
(function focusErrorSummary() {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();

