// alloplace inspector: polls the admin JSON API once a second and renders it.
(function () {
  "use strict";
  const HISTORY = 120;
  const state = { token: sessionStorage.getItem("alloplace.token") || "", search: "", last: null };
  const series = { t: [], heartbeat: [], agents: [], kbps: [] };
  const charts = {};

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
    return response.json();
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
    });
    children.forEach(c => node.append(c));
    return node;
  }

  function chart(id, label, color) {
    const target = document.getElementById(id);
    return new uPlot({ width: 320, height: 140, legend: { show: false },
      series: [{}, { label: label, stroke: color, width: 2 }],
      axes: [{ show: false }, { size: 40 }] }, [[], []], target);
  }

  function renderAgents(agents) {
    const body = document.querySelector("#agents tbody");
    body.replaceChildren(...agents.map(a => el("tr", { "data-agent": a.agent_id },
      el("td", { class: "agent-name" }, a.display_name || "(not announced)"),
      el("td", { class: "mono" }, a.agent_id),
      el("td", { class: "mono" }, a.avatar_id || ""),
      el("td", {}, String(a.protocol)),
      el("td", { class: "mono" }, a.remote),
      el("td", {}, String(a.entities)),
      el("td", {}, a.rtt_ms === undefined ? "" : a.rtt_ms + " ms"),
      el("td", {}, el("button", { class: "kick", "data-agent": a.agent_id, onclick: () => kick(a.agent_id) }, "Kick")))));
  }

  function entityNode(entity) {
    const children = (entity.children || []).map(c => typeof c === "string" ? el("div", { class: "mono" }, "↳ " + c) : entityNode(c));
    return el("details", { class: "entity", "data-entity": entity.id },
      el("summary", {}, el("span", { class: "mono" }, entity.id), " · " + Object.keys(entity.components).join(", ") + " · owner " + entity.owner),
      el("pre", {}, JSON.stringify(entity.components, null, 2)), ...children);
  }

  async function renderEntities() {
    const query = state.search ? "?q=" + encodeURIComponent(state.search) : "";
    const roots = await api("/api/entities" + query);
    const open = new Set([...document.querySelectorAll("details.entity[open]")].map(d => d.dataset.entity));
    const container = document.getElementById("entities");
    container.replaceChildren(...roots.map(entityNode));
    container.querySelectorAll("details.entity").forEach(d => { if (open.has(d.dataset.entity)) d.open = true; });
  }

  async function renderAcl() {
    try {
      const rules = await api("/api/acl");
      document.getElementById("acl-section").hidden = false;
      document.getElementById("acl").replaceChildren(...rules.map(r => el("li", { class: "mono" }, r.effect + " " + r.guard)));
    } catch (e) {
      document.getElementById("acl-section").hidden = true;
    }
  }

  async function kick(agentId) {
    await api("/api/agents/" + encodeURIComponent(agentId) + "/kick", "POST");
    await refresh();
  }

  function pushSample(stats) {
    const now = Date.now() / 1000;
    const kbps = state.last ? (stats.bytes_sent - state.last.bytes_sent) / 1024 / Math.max(0.001, now - state.last.at) : 0;
    state.last = { at: now, bytes_sent: stats.bytes_sent };
    series.t.push(now); series.heartbeat.push(stats.heartbeat_ms); series.agents.push(stats.agents); series.kbps.push(kbps);
    Object.values(series).forEach(s => { while (s.length > HISTORY) s.shift(); });
    charts.heartbeat.setData([series.t, series.heartbeat]);
    charts.agents.setData([series.t, series.agents]);
    charts.bandwidth.setData([series.t, series.kbps]);
  }

  async function refresh() {
    try {
      const [place, stats, agents] = await Promise.all([api("/api/place"), api("/api/stats"), api("/api/agents")]);
      document.getElementById("place-name").textContent = place.name;
      document.getElementById("summary").textContent = place.agents + " agents · " + place.entities + " entities · revision " + place.revision;
      renderAgents(agents);
      pushSample(stats);
      await renderEntities();
      await renderAcl();
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
  document.getElementById("entity-search").addEventListener("input", e => { state.search = e.target.value; renderEntities(); });
  charts.heartbeat = chart("chart-heartbeat", "heartbeat ms", "#2f6fdb");
  charts.agents = chart("chart-agents", "agents", "#1f9d55");
  charts.bandwidth = chart("chart-bandwidth", "KB/s", "#c05621");
  refresh();
  setInterval(refresh, 1000);
})();
