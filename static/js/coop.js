// The site's own script, loaded on every page (templates/base.html); the Content-Security-Policy allows no inline script.

// A form that was refused opens on the summary of its errors ([data-error-summary], templates/coop/error_summary.html):
// focused, it is read out by a screen reader and is where the keyboard continues from, its links leading to each field.
(function focusErrorSummary() {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();

// A table wider than its box scrolls sideways: the box then takes the keyboard focus, so that the arrow keys scroll
// it (WCAG 2.1.1), and is a region named like its table (caption, or the heading of its section). Checked again
// when the window's width changes; a box that no longer scrolls gives the focus back.
(function letScrollingTablesTakeFocus() {
  const MARK = "coopScrollFocus";

  function tableName(box) {
    const caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return { label: caption.textContent.trim() };
    const section = box.closest("[aria-labelledby]");
    return section ? { labelledby: section.getAttribute("aria-labelledby") } : null;
  }

  function update() {
    for (const box of document.querySelectorAll(".table-responsive")) {
      const scrolls = box.scrollWidth > box.clientWidth;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.dataset[MARK] = "true";
        box.tabIndex = 0;
        const name = tableName(box);
        if (name) {
          box.setAttribute("role", "region");
          if (name.label) box.setAttribute("aria-label", name.label);
          else box.setAttribute("aria-labelledby", name.labelledby);
        }
      } else if (!scrolls && box.dataset[MARK]) {
        delete box.dataset[MARK];
        for (const attribute of ["tabindex", "role", "aria-label", "aria-labelledby"]) box.removeAttribute(attribute);
      }
    }
  }

  update();
  window.addEventListener("load", update);
  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(update, 150);
  });
})();
