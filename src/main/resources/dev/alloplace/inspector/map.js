// alloplace inspector: the top-down map (hand-written SVG). World x goes right and z down, so the
// place's forward (-z) is up. The place computes the world positions (GET /api/map).
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const MIN_EXTENT = 4; // metres shown around a lone marker

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A grid step of 1, 2 or 5 × 10^k metres that leaves at least `pixels` between lines.
  function gridStep(scale, pixels) {
    const raw = pixels / scale;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    return [1, 2, 5, 10].map(f => f * power).find(s => s >= raw);
  }

  function WorldMap(element, onSelect) {
    this.element = element;
    this.onSelect = onSelect;
    this.markers = [];
    this.selected = null;
    this.view = { cx: 0, cz: 0, scale: 40 };
    this.auto = true; // fit every refresh until the user zooms or pans
    this.listen();
  }

  WorldMap.prototype.size = function () {
    const box = this.element.getBoundingClientRect();
    return { w: Math.max(100, box.width), h: Math.max(100, box.height) };
  };

  WorldMap.prototype.fit = function () {
    const { w, h } = this.size();
    if (this.markers.length === 0) {
      this.view = { cx: 0, cz: 0, scale: Math.min(w, h) / MIN_EXTENT };
      return;
    }
    const xs = this.markers.map(m => m.x), zs = this.markers.map(m => m.z);
    const minX = Math.min(...xs), maxX = Math.max(...xs), minZ = Math.min(...zs), maxZ = Math.max(...zs);
    const spanX = Math.max(MIN_EXTENT, maxX - minX), spanZ = Math.max(MIN_EXTENT, maxZ - minZ);
    this.view = { cx: (minX + maxX) / 2, cz: (minZ + maxZ) / 2, scale: 0.85 * Math.min(w / spanX, h / spanZ) };
  };

  WorldMap.prototype.zoom = function (factor, px, py) {
    const { w, h } = this.size();
    const v = this.view;
    px = px === undefined ? w / 2 : px;
    py = py === undefined ? h / 2 : py;
    // keep the world point under the cursor where it is
    const x = v.cx + (px - w / 2) / v.scale, z = v.cz + (py - h / 2) / v.scale;
    v.scale = Math.min(1e5, Math.max(1e-3, v.scale * factor));
    v.cx = x - (px - w / 2) / v.scale;
    v.cz = z - (py - h / 2) / v.scale;
    this.auto = false;
    this.render();
  };

  WorldMap.prototype.listen = function () {
    const el = this.element;
    el.addEventListener("wheel", e => {
      e.preventDefault();
      const box = el.getBoundingClientRect();
      this.zoom(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - box.left, e.clientY - box.top);
    }, { passive: false });
    let drag = null;
    el.addEventListener("pointerdown", e => {
      if (e.target.closest(".marker")) return;
      drag = { x: e.clientX, y: e.clientY, cx: this.view.cx, cz: this.view.cz };
      el.setPointerCapture(e.pointerId);
    });
    el.addEventListener("pointermove", e => {
      if (!drag) return;
      this.view.cx = drag.cx - (e.clientX - drag.x) / this.view.scale;
      this.view.cz = drag.cz - (e.clientY - drag.y) / this.view.scale;
      this.auto = false;
      this.render();
    });
    el.addEventListener("pointerup", () => { drag = null; });
  };

  WorldMap.prototype.update = function (answer) {
    this.markers = answer.markers;
    const note = document.getElementById("map-note");
    note.textContent = answer.truncated
      ? "showing " + answer.markers.length + " of " + answer.with_transform + " entities (admin.inspector_max_entities)"
      : answer.markers.length + " entities with a transform";
    if (this.auto) this.fit();
    this.render();
  };

  WorldMap.prototype.render = function () {
    const { w, h } = this.size();
    const v = this.view;
    const sx = x => w / 2 + (x - v.cx) * v.scale, sz = z => h / 2 + (z - v.cz) * v.scale;
    const layers = [];
    const step = gridStep(v.scale, 48);
    const grid = svg("g", { class: "grid" });
    const firstX = Math.ceil((v.cx - w / 2 / v.scale) / step), firstZ = Math.ceil((v.cz - h / 2 / v.scale) / step);
    for (let i = firstX, x = i * step; sx(x) <= w && i < firstX + 200; i++, x = i * step) {
      grid.append(svg("line", { x1: sx(x), y1: 0, x2: sx(x), y2: h, class: Math.abs(x) < step / 2 ? "axis" : "" }));
      grid.append(svg("text", { x: sx(x) + 3, y: h - 4 }, +x.toPrecision(6) + " m"));
    }
    for (let i = firstZ, z = i * step; sz(z) <= h && i < firstZ + 200; i++, z = i * step) {
      grid.append(svg("line", { x1: 0, y1: sz(z), x2: w, y2: sz(z), class: Math.abs(z) < step / 2 ? "axis" : "" }));
      grid.append(svg("text", { x: 3, y: sz(z) - 3 }, +z.toPrecision(6)));
    }
    layers.push(grid);
    // avatars last, so that the parts and things they hold do not hide them
    const order = { place: 0, entity: 1, avatar: 2 };
    const markers = this.markers.slice().sort((a, b) => order[a.kind] - order[b.kind]);
    const group = svg("g", {});
    markers.forEach(m => {
      const x = sx(m.x), y = sz(m.z);
      const classes = "marker " + m.kind + (m.id === this.selected ? " selected" : "");
      const node = m.kind === "place"
        ? svg("rect", { x: x - 5, y: y - 5, width: 10, height: 10, transform: "rotate(45 " + x + " " + y + ")", class: classes })
        : svg("circle", { cx: x, cy: y, r: m.kind === "avatar" ? 8 : 4, class: classes });
      node.dataset.entity = m.id;
      node.append(svg("title", {}, (m.label ? m.label + " · " : "") + m.id + " · owner " + m.owner
        + " · (" + m.x + ", " + m.y + ", " + m.z + ")"));
      node.addEventListener("click", () => { this.selected = m.id; this.render(); this.onSelect(m.id); });
      group.append(node);
      if (m.label) group.append(svg("text", { x: x + 11, y: y + 4, class: "label" }, m.label));
    });
    layers.push(group);
    this.element.replaceChildren(...layers);
  };

  window.InspectorMap = { WorldMap: WorldMap };
})();
