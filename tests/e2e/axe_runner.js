// Loaded into every document of the browser tests after axe-core itself (tests/e2e/accessibility.py): once the page
// has loaded, axe-core checks it with the options OPTIONS_JSON, and the violations, one line per element, are both
// logged to the console after REPORT_PREFIX (which the tests' watch reads) and kept in window.__coopAxeReport.
(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  let resolveReport;
  window.__coopAxeReport = new Promise((resolve) => {
    resolveReport = resolve;
  });
  window.addEventListener("load", () => {
    axe
      .run(document, OPTIONS_JSON)
      .then(
        (results) =>
          results.violations.flatMap((violation) =>
            violation.nodes.map(
              (node) =>
                `${location.href}: ${violation.id} (${violation.impact}) at ${node.target.join(" ")}: ${violation.help}`,
            ),
          ),
        (error) => [`${location.href}: could not be checked with axe-core: ${error}`],
      )
      .then((lines) => {
        console.debug(REPORT_PREFIX + JSON.stringify(lines));
        resolveReport(lines);
      });
  });
})();
