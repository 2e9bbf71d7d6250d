// The focused element's focus indicator and its contrast against the colours next to it
// (WCAG 2.1 1.4.11: at least 3:1). The indicator is the outline, else the box-shadow; the
// neighbours are what is painted just outside the ring on each side (found with
// elementsFromPoint, or a box-shadow halo around the ring) and, for a ring drawn inside the element, the element's own background.
// Returns null when nothing is focused. Used by tests/browser/test_accessibility.py.
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const parse = (text) => {
    const m = /rgba?\(([^)]+)\)/.exec(text || "");
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const background = (node) => {
    const layers = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    const white = { r: 255, g: 255, b: 255, a: 1 };
    return layers.reverse().reduce((color, layer) => over(layer, color), white);
  };
  const luminance = (c) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  };

  const style = getComputedStyle(el);
  let indicator = null;
  let kind = "none";
  let width = 0;
  let offset = 0;
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) {
    indicator = parse(style.outlineColor);
    kind = "outline";
    width = parseFloat(style.outlineWidth);
    offset = parseFloat(style.outlineOffset) || 0;
  } else if (style.boxShadow && style.boxShadow !== "none") {
    indicator = parse(style.boxShadow);
    kind = "box-shadow";
    const lengths = style.boxShadow.replace(/rgba?\([^)]*\)/, "").match(/-?[\d.]+px/g) || [];
    width = lengths.length > 3 ? parseFloat(lengths[3]) : 0;
  }
  const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
  const label =
    el.tagName.toLowerCase() +
    (el.id ? "#" + el.id : "") +
    (el.type ? "[" + el.type + "]" : "") +
    " “" + text.slice(0, 30) + "”";
  if (!indicator || width <= 0) return { label, kind, ratio: 0 };

  const rect = el.getBoundingClientRect();
  const d = Math.max(offset, 0) + width + 1;
  const midX = rect.left + rect.width / 2;
  const midY = rect.top + rect.height / 2;
  const points = [
    [rect.left - d, midY],
    [rect.right + d, midY],
    [midX, rect.top - d],
    [midX, rect.bottom + d],
  ];
  const outside = [];
  for (const [x, y] of points) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const under = document.elementsFromPoint(x, y).find((n) => n !== el && !el.contains(n));
    if (under) outside.push(background(under));
  }
  if (!outside.length) outside.push(background(el.parentElement));
  // A halo: a box-shadow wider than the outline paints the outline's outer neighbour.
  const halo = kind === "outline" ? parse(style.boxShadow) : null;
  const haloLengths = (style.boxShadow || "").replace(/rgba?\([^)]*\)/, "").match(/-?[\d.]+px/g);
  if (halo && haloLengths && haloLengths.length > 3 && parseFloat(haloLengths[3]) >= d) {
    outside.splice(0, outside.length, ...outside.map((bg) => over(halo, bg)));
  }
  const neighbours = offset <= 0 ? [...outside, background(el)] : outside;
  const ring = indicator.a < 1 ? over(indicator, outside[0]) : indicator;
  const rgb = [ring.r, ring.g, ring.b].map(Math.round).join(", ");
  return {
    label,
    kind,
    color: `rgb(${rgb})`,
    ratio: Math.min(...neighbours.map((n) => ratio(ring, n))),
  };
}
