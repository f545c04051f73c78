/* Lists' tables wider than their box (templates/coop/object_list.html).
 *
 * Each `.coop-table-scroll` box gets the class `is-overflowing` while its table is wider than the
 * box: static/css/coop.css then shows the hint "Scroll sideways to see more columns" and fades the
 * edge where columns are cut off, until the user has scrolled to the last one (`is-at-end`).
 * Served as a file: the Content-Security-Policy runs no inline script. Without it the table still
 * scrolls, with its first column kept in view by CSS alone.
 */
(function () {
  "use strict";

  function mark(box, scroller) {
    var hidden = scroller.scrollWidth - scroller.clientWidth;
    var overflowing = hidden > 1;
    box.classList.toggle("is-overflowing", overflowing);
    box.classList.toggle("is-scrolled", overflowing && scroller.scrollLeft > 0);
    box.classList.toggle("is-at-end", overflowing && Math.abs(scroller.scrollLeft) >= hidden - 1);
  }

  document.querySelectorAll(".coop-table-scroll").forEach(function (box) {
    var scroller = box.querySelector(".table-responsive");
    if (!scroller) {
      return;
    }
    var update = function () {
      mark(box, scroller);
    };
    scroller.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    window.addEventListener("load", update); // once the fonts have set the columns' widths
    if ("ResizeObserver" in window) {
      var observer = new ResizeObserver(update);
      observer.observe(scroller);
      observer.observe(scroller.firstElementChild || scroller);
    }
    update();
  });
})();
