// alloplace inspector: polls the admin JSON API and renders it. Cheap views every second, the
// entity tree and the ACL every few seconds (and the tree at once when the search changes).
(function () {
  "use strict";
  const SLOW_EVERY = 5; // seconds between refreshes of the entity tree and the ACL
  const TREE_LIMIT = 500; // entities the tree shows (the place stops there)
  const state = { token: sessionStorage.getItem("alloplace.token") || "", search: "", ticks: 0,
    eventSeq: 0, events: new Map(), eventCapacity: 200, selected: null };

  function headers() {
    return state.token ? { "Authorization": "Bearer " + state.token } : {};
  }

  async function api(path, method) {
    const request = { method: method || "GET", headers: headers() };
    if (request.method !== "GET") {
      // the admin endpoint refuses state changes that do not say they send JSON (CSRF)
      request.headers["Content-Type"] = "application/json";
      request.body = "{}";
    }
    const response = await fetch(path, request);
    if (response.status === 401) {
      document.getElementById("auth").hidden = false;
      throw new Error("unauthorized");
    }
    if (!response.ok) {
      throw new Error(path + ": " + response.status);
    }
    return { json: await response.json(), truncated: response.headers.get("X-Alloplace-Truncated") === "true" };
  }

  async function get(path) {
    return (await api(path)).json;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
    });
    children.forEach(c => node.append(c));
    return node;
  }

  const compact = window.InspectorCharts.compact;
  const rate = v => (v === undefined ? "" : compact(v).replace(/([kMGT]?)$/, " $1B/s"));
  const shortKey = k => (k.length > 16 ? k.slice(0, 8) + "…" + k.slice(-6) : k);

  function lag(a) {
    if (a.state_lag_revisions === undefined) return "";
    if (a.state_lag_revisions === 0) return "0";
    return (a.state_lag_at_least ? "≥ " : "") + a.state_lag_revisions + " rev · " + a.state_lag_ms + " ms";
  }

  function agentName(a) {
    const identity = a.identity || {};
    const cell = el("td", { class: "agent-name" }, a.display_name || identity.display_name || "(not announced)");
    if (identity.verified) {
      cell.append(" ", el("span", { class: "verified", title: "verified key " + (identity.public_key || "") }, "✓"));
    } else if (identity.public_key) {
      cell.title = "unverified key " + identity.public_key;
    }
    return cell;
  }

  function renderAgents(agents) {
    const body = document.querySelector("#agents tbody");
    body.replaceChildren(...agents.map(a => el("tr", { "data-agent": a.agent_id },
      agentName(a),
      el("td", { class: "mono" }, a.agent_id),
      el("td", { class: "mono" }, a.avatar_id ? el("a", { href: "#map", onclick: () => select(a.avatar_id) }, a.avatar_id) : ""),
      el("td", {}, String(a.protocol)),
      el("td", { class: "mono" }, a.remote),
      el("td", {}, String(a.entities)),
      el("td", {}, a.rtt_ms === undefined ? "" : a.rtt_ms + " ms"),
      el("td", { class: "bytes-out" }, rate(a.bytes_out_per_s)),
      el("td", { class: "bytes-in" }, rate(a.bytes_in_per_s)),
      el("td", { class: "state-lag" }, lag(a)),
      el("td", {}, el("button", { class: "kick", "data-agent": a.agent_id, onclick: () => kick(a.agent_id) }, "Kick")))));
  }

  function renderEvents(answer) {
    state.eventCapacity = answer.capacity;
    answer.events.forEach(e => { state.events.delete(e.id); state.events.set(e.id, e); state.eventSeq = Math.max(state.eventSeq, e.seq); });
    while (state.events.size > state.eventCapacity) state.events.delete(state.events.keys().next().value);
    const newestFirst = [...state.events.values()].reverse();
    document.querySelector("#events tbody").replaceChildren(...newestFirst.map(e => el("tr", { "data-kind": e.kind, "data-agent": e.agent },
      el("td", { class: "mono", title: e.at }, new Date(e.at).toLocaleTimeString()),
      el("td", {}, el("span", { class: "badge " + e.kind }, e.kind), e.count > 1 ? " ×" + e.count : ""),
      el("td", {}, e.name || "", " ", el("span", { class: "mono dim" }, e.agent)),
      el("td", { class: "detail" }, e.detail))));
  }

  // Components as indented JSON, with arrays of numbers (matrices, colours) kept on one line.
  function pretty(components) {
    return JSON.stringify(components, null, 2).replace(/\[[-0-9.eE,\s]*\]/g, a => a.replace(/\s+/g, " ").replace("[ ", "[").replace(" ]", "]"));
  }

  const count = (n, one, many) => n + " " + (n === 1 ? one : many);

  function entityNode(entity) {
    const children = (entity.children || []).map(c => typeof c === "string" ? el("div", { class: "mono" }, "↳ " + c) : entityNode(c));
    if (entity.more_children) children.push(el("div", { class: "note" }, "… and " + entity.more_children + " more"));
    return el("details", { class: "entity", "data-entity": entity.id },
      el("summary", {}, el("span", { class: "mono" }, entity.id),
        " · " + (Object.keys(entity.components).join(", ") || "no components") + " · owner " + entity.owner),
      el("pre", {}, pretty(entity.components)), ...children);
  }

  async function renderEntities() {
    const query = "?limit=" + TREE_LIMIT + (state.search ? "&q=" + encodeURIComponent(state.search) : "");
    const answer = await api("/api/entities" + query);
    const open = new Set([...document.querySelectorAll("#entities details.entity[open]")].map(d => d.dataset.entity));
    const container = document.getElementById("entities");
    container.replaceChildren(...answer.json.map(entityNode));
    container.querySelectorAll("details.entity").forEach(d => { if (open.has(d.dataset.entity)) d.open = true; });
    document.getElementById("entities-note").textContent = answer.truncated
      ? "the list stops at " + TREE_LIMIT + " entities; search to find the others" : "";
  }

  async function renderAcl() {
    try {
      const rules = await get("/api/acl");
      document.getElementById("acl-section").hidden = false;
      document.getElementById("acl").replaceChildren(...rules.map(r => el("li", { class: "mono" }, r.effect + " " + r.guard)));
    } catch (e) {
      document.getElementById("acl-section").hidden = true;
    }
  }

  // The entity clicked on the map (or an agent's avatar): the entity view, opened, next to the map.
  async function select(id) {
    state.selected = id;
    map.selected = id;
    map.render();
    const target = document.getElementById("selected-entity");
    try {
      const node = entityNode(await get("/api/entities/" + encodeURIComponent(id)));
      node.open = true;
      target.className = "";
      target.replaceChildren(node);
    } catch (e) {
      target.className = "note";
      target.textContent = "entity " + id + " is gone";
    }
  }

  async function kick(agentId) {
    await api("/api/agents/" + encodeURIComponent(agentId) + "/kick", "POST");
    await refresh();
  }

  function renderPlace(place) {
    document.getElementById("place-name").textContent = place.name;
    document.getElementById("summary").textContent = count(place.agents, "agent", "agents") + " · "
      + count(place.entities, "entity", "entities") + " · revision " + place.revision + " · " + place.heartbeat_hz + " Hz";
    const key = document.getElementById("place-key");
    key.hidden = !place.public_key;
    if (place.public_key) {
      key.textContent = "key " + shortKey(place.public_key);
      key.title = "the place's public key: " + place.public_key;
    }
  }

  async function refresh() {
    try {
      const slow = state.ticks++ % SLOW_EVERY === 0;
      const [place, agents, history, events, world] = await Promise.all([get("/api/place"), get("/api/agents"),
        get("/api/history?since=" + charts.since()), get("/api/events?since=" + state.eventSeq), get("/api/map")]);
      renderPlace(place);
      renderAgents(agents);
      charts.add(history);
      renderEvents(events);
      map.update(world);
      if (slow) {
        // the tree is the one view that costs the place in proportion to the world: only when seen
        if (state.treeVisible || state.search) await renderEntities();
        await renderAcl();
      }
    } catch (e) {
      document.getElementById("summary").textContent = "not connected: " + e.message;
    }
  }

  document.getElementById("token-save").addEventListener("click", () => {
    state.token = document.getElementById("token").value;
    sessionStorage.setItem("alloplace.token", state.token);
    document.getElementById("auth").hidden = true;
    refresh();
  });
  let searchTimer = null;
  document.getElementById("entity-search").addEventListener("input", e => {
    state.search = e.target.value;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => renderEntities().catch(() => {}), 250);
  });
  const charts = new window.InspectorCharts.History();
  const map = new window.InspectorMap.WorldMap(document.getElementById("map"), select);
  document.getElementById("map-fit").addEventListener("click", () => { map.auto = true; map.fit(); map.render(); });
  document.getElementById("map-zoom-in").addEventListener("click", () => map.zoom(1.5));
  document.getElementById("map-zoom-out").addEventListener("click", () => map.zoom(1 / 1.5));
  new ResizeObserver(() => map.render()).observe(document.getElementById("map"));
  new IntersectionObserver(entries => {
    const visible = entries[entries.length - 1].isIntersecting;
    if (visible && !state.treeVisible) renderEntities().catch(() => {});
    state.treeVisible = visible;
  }).observe(document.getElementById("entities-section"));

  // For tests and the curious: what the page has drawn.
  window.alloplaceInspector = {
    markers: () => document.querySelectorAll("#map .marker").length,
    samples: () => charts.rows.length,
    firstSampleTime: () => (charts.rows.length ? charts.rows[0].t : null),
  };
  (async function poll() {
    await refresh();
    setTimeout(poll, 1000);
  })();
})();
