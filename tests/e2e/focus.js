// How the focus shows on a page, measured in the browser (tests/e2e/accessibility.py loads it into each page it checks).
// `rememberUnfocused()` keeps the look of every element that may take the focus, before any is focused;
// `measure()` describes the focused element's indicator once its transitions have ended: whether focus changed its
// look, and the contrast of its outline or new shadow against the background next to it (WCAG 2.4.7, 2.4.11, 1.4.11).
window.__coopFocus = (() => {
  const FOCUSABLE = "a, button, input, select, textarea, summary, [tabindex]";
  const unfocused = new Map();

  const outlineOf = (style) => `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;

  // "rgb(1, 2, 3)", "rgba(1, 2, 3, 0.25)" or a shadow containing one → {r, g, b, a}.
  const parseColour = (text) => {
    const match = text.match(/rgba?\(([^)]+)\)/);
    if (!match) return null;
    const [r, g, b, a] = match[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a: a === undefined ? 1 : a };
  };

  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });

  // The colour behind `start`: the backgrounds from it upwards down to the first opaque one, blended; the canvas is white.
  const backgroundBehind = (start) => {
    const layers = [];
    for (let node = start; node && node.nodeType === 1; node = node.parentElement) {
      const colour = parseColour(getComputedStyle(node).backgroundColor);
      if (colour && colour.a > 0) {
        layers.push(colour);
        if (colour.a >= 1) break;
      }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
  };

  const luminance = ({ r, g, b }) => {
    const linear = (value) => {
      const c = value / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };

  const contrast = (one, two) => {
    const [light, dark] = [luminance(one), luminance(two)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };

  // The shadows of a box-shadow list, split on the commas that are not inside rgb(...).
  const shadows = (boxShadow) => (boxShadow === "none" ? [] : boxShadow.split(/,(?![^(]*\))/).map((s) => s.trim()));

  const describe = (element) => {
    const classes = typeof element.className === "string" ? element.className.trim().split(/\s+/).filter(Boolean) : [];
    const name = (element.getAttribute("aria-label") || element.textContent || element.value || "")
      .trim()
      .replace(/\s+/g, " ")
      .slice(0, 40);
    const id = element.id ? `#${element.id}` : "";
    return `<${element.tagName.toLowerCase()}${id}${classes.map((c) => "." + c).join("")}> "${name}"`;
  };

  return {
    rememberUnfocused() {
      unfocused.clear();
      for (const element of document.querySelectorAll(FOCUSABLE)) {
        const style = getComputedStyle(element);
        unfocused.set(element, { boxShadow: style.boxShadow, outline: outlineOf(style) });
      }
    },

    async measure() {
      const element = document.activeElement;
      if (!element || element === document.body || element === document.documentElement) return null;
      // Bootstrap fades its focus glow in: measure the look the focus ends with.
      await Promise.all(element.getAnimations().map((animation) => animation.finished));
      const style = getComputedStyle(element);
      const before = unfocused.get(element) || { boxShadow: "none", outline: "" };
      const outlineShown = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
      // An outline drawn outside the element lies on its parent's background; one drawn inside it, on its own.
      const outside = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) > 0;
      const around = backgroundBehind(outside ? element.parentElement : element);
      const contrasts = [];
      if (outlineShown) {
        const colour = parseColour(style.outlineColor);
        if (colour) contrasts.push(contrast(over(colour, around), around));
      }
      const shadowChanged = style.boxShadow !== before.boxShadow;
      for (const shadow of shadows(style.boxShadow)) {
        const colour = parseColour(shadow);
        if (colour && !shadows(before.boxShadow).includes(shadow)) contrasts.push(contrast(over(colour, around), around));
      }
      return {
        element: describe(element),
        changed: (outlineShown && outlineOf(style) !== before.outline) || shadowChanged,
        contrast: contrasts.length ? Math.max(...contrasts) : 0,
        outline: outlineOf(style),
        boxShadow: style.boxShadow,
      };
    },
  };
})();
