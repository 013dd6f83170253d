// kgfuse explorer: plain JS over the REST API of `kgfuse serve` (no build step).
// Every text from the server is inserted with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const names = new Map(); // entity key -> display name

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "onclick") node.addEventListener("click", v);
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function showError(message) { $("error").textContent = message || ""; }

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { "Content-Type": "application/json", ...(options.headers || {}) },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = body.detail || `${response.status} ${response.statusText}`;
    showError(message);
    throw new Error(message);
  }
  showError("");
  return body;
}

// Wrap an async handler: its failure is already shown by api(), so it must not escape.
const safe = (fn) => (...args) => { fn(...args).catch(() => {}); };

const q = (params) => new URLSearchParams(params).toString();
const enc = encodeURIComponent;
const nameOf = (key) => names.get(key) || key;
function remember(entity) { names.set(entity.key, entity.name); return entity; }

// ------------------------------------------------------------------ graph
const cy = cytoscape({
  container: $("graph"),
  style: [
    { selector: "node", style: { label: "data(label)", "font-size": 11, "background-color": "#7a93b8",
      width: 18, height: 18, "text-valign": "bottom", "text-margin-y": 3 } },
    { selector: "node.focus", style: { "background-color": "#1f5fa8", width: 26, height: 26 } },
    { selector: "node.path", style: { "background-color": "#d9822b" } },
    { selector: "edge.path", style: { "line-color": "#d9822b", "target-arrow-color": "#d9822b", width: 4 } },
    { selector: "edge", style: { label: "data(label)", "font-size": 9, "curve-style": "bezier",
      "target-arrow-shape": "triangle", width: 1.5, "line-color": "#aab4c3",
      "target-arrow-color": "#aab4c3", "text-rotation": "autorotate", color: "#4a5261" } },
  ],
});

function edgeId(e) { return `${e.subject}\u0000${e.predicate}\u0000${e.object}`; }

function addGraph(nodes, edges) {
  cy.batch(() => {
    for (const n of nodes) {
      remember(n);
      if (!cy.getElementById(n.key).length) cy.add({ data: { id: n.key, label: n.name } });
    }
    for (const e of edges) {
      if (!cy.getElementById(edgeId(e)).length && cy.getElementById(e.subject).length
          && cy.getElementById(e.object).length) {
        cy.add({ data: { id: edgeId(e), source: e.subject, target: e.object, label: e.predicate,
                         subject: e.subject, predicate: e.predicate, object: e.object } });
      }
    }
  });
  cy.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: 9000 }).run();
  $("graph-info").textContent = `${cy.nodes().length} entities, ${cy.edges().length} facts`;
}

async function expand(key) {
  const data = await api(`/entities/${enc(key)}/neighbors?${q({ hops: $("hops").value })}`);
  addGraph(data.nodes, data.edges);
  cy.nodes().removeClass("focus");
  cy.getElementById(key).addClass("focus");
}

cy.on("tap", "node", safe((event) => openEntity(event.target.id(), false)));
cy.on("tap", "edge", safe((event) => {
  const d = event.target.data();
  return showFacts(d.subject, d.predicate, d.object);
}));
$("clear-graph").addEventListener("click", () => { cy.elements().remove(); $("graph-info").textContent = ""; });

// ------------------------------------------------------------------ entity card
async function openEntity(key, grow = true) {
  const card = await api(`/entities/${enc(key)}`);
  remember(card.entity);
  if (grow) await expand(key);
  else { cy.nodes().removeClass("focus"); cy.getElementById(key).addClass("focus"); }
  renderCard(card);
}

function renderCard(card) {
  const box = $("card");
  box.replaceChildren();
  const e = card.entity;
  box.append(el("h2", { text: e.name }));
  const types = card.types.map((t) => `${t.label} (${t.count})`).join(", ") || "no type";
  box.append(el("p", { class: "muted", text:
    `key ${e.key} · ${types} · ${card.mention_count} mentions in ${card.document_count} documents` }));
  if (e.aliases.length) box.append(el("p", { text: `Also: ${e.aliases.join(", ")}` }));
  box.append(el("h3", { text: "Neighbours" }));
  const list = el("ul", { class: "plain", id: "neighbours" });
  for (const n of card.neighbours) {
    remember(n.other);
    const outgoing = n.subject === e.key;
    list.append(el("li", {},
      el("span", { class: "predicate", text: outgoing ? `${n.predicate} →` : `← ${n.predicate}` }),
      el("button", { type: "button", class: "neighbour", "data-key": n.other.key,
                     onclick: safe(() => openEntity(n.other.key)) }, n.other.name),
      el("button", { type: "button", class: "facts-button", title: "Sentences behind this fact",
                     onclick: safe(() => showFacts(n.subject, n.predicate, n.object)) },
         `facts (${n.support})`)));
  }
  if (!card.neighbours.length) list.append(el("li", { text: "(no facts)" }));
  box.append(list);
  if (card.sentences.length) {
    // One block per sentence (a sentence may support several facts): this entity is marked
    // as the subject, the other ends of its facts there as objects.
    box.append(el("h3", { text: "Supporting sentences" }));
    const seen = new Map();
    for (const s of card.sentences) {
      const id = `${s.doc_id}\u0000${s.sentence_index}`;
      if (!seen.has(id)) seen.set(id, { ...s, others: new Set() });
      seen.get(id).others.add(s.subject === e.key ? s.object : s.subject);
    }
    for (const s of seen.values()) box.append(sentenceBlock(s, e.key, s.others, s.doc_id));
  }
}

// ------------------------------------------------------------------ facts and sentences
function highlighted(text, mentions, subject, object) {
  // Mentions of the fact's subject and object (a key or a Set of keys) are marked; others
  // lightly.
  const out = el("span");
  let at = 0;
  const spans = [...mentions].sort((a, b) => a.start - b.start);
  for (const m of spans) {
    if (m.start < at || m.end > text.length || m.start >= m.end) continue;
    out.append(text.slice(at, m.start));
    const isObject = object instanceof Set ? object.has(m.key) : m.key === object;
    const cls = m.key === subject ? "subject" : isObject ? "object" : "entity";
    out.append(el("mark", { class: cls, title: nameOf(m.key), text: text.slice(m.start, m.end) }));
    at = m.end;
  }
  out.append(text.slice(at));
  return out;
}

function sentenceBlock(record, subject, object, docId) {
  const quote = el("blockquote", { class: "sentence" },
    highlighted(record.text, record.mentions || [], subject, object));
  const link = el("a", { href: `#doc=${enc(docId)}`, class: "doc-link", onclick: (event) => {
    event.preventDefault(); showDocument(docId).catch(() => {});
  } }, `${docId}, sentence ${record.sentence_index + 1}`);
  return el("div", {}, quote, el("div", { class: "muted" }, link));
}

async function showFacts(subject, predicate, object) {
  const data = await api(`/facts?${q({ subject, predicate, object })}`);
  const box = $("facts");
  box.replaceChildren(el("h2", {},
    el("mark", { class: "subject", text: nameOf(subject) }), ` ${predicate} `,
    el("mark", { class: "object", text: nameOf(object) })));
  box.append(el("p", { class: "muted", text: `${data.records.length} supporting sentence(s)` }));
  for (const r of data.records) box.append(sentenceBlock(r, subject, object, r.doc_id));
  box.scrollIntoView({ block: "nearest" });
}

async function showDocument(docId) {
  const doc = await api(`/documents/${docId.split("/").map(enc).join("/")}`);
  const box = $("document");
  box.replaceChildren(el("h2", { text: `Document ${doc.id}` }));
  box.append(el("p", { class: "muted", text:
    `${doc.sentences.length} sentences, ${doc.mentions.length} mentions, ${doc.facts.length} facts` }));
  box.append(el("div", { class: "text" }, highlighted(doc.text, doc.mentions, null, null)));
  box.scrollIntoView({ block: "nearest" });
}

// ------------------------------------------------------------------ search with suggestions
let searchTimer = null;
const search = $("search");
const suggestions = $("suggestions");

function closeSuggestions() {
  suggestions.hidden = true;
  search.setAttribute("aria-expanded", "false");
}

async function suggest() {
  const text = search.value.trim();
  if (!text) { closeSuggestions(); return; }
  const data = await api(`/entities?${q({ q: text, limit: 8 })}`);
  suggestions.replaceChildren();
  for (const item of data.items) {
    remember(item);
    suggestions.append(el("li", { role: "option" }, el("button", { type: "button",
      class: "suggestion", "data-key": item.key,
      onclick: () => { closeSuggestions(); search.value = item.name; openEntity(item.key).catch(() => {}); } },
      `${item.name} `, el("span", { class: "muted", text: `${item.label} · ${item.how}` }))));
  }
  if (!data.items.length) suggestions.append(el("li", { class: "muted", text: "no match" }));
  suggestions.hidden = false;
  search.setAttribute("aria-expanded", "true");
}

search.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => suggest().catch(() => {}), 150);
});
search.addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown") {
    const first = suggestions.querySelector("button");
    if (first) { event.preventDefault(); first.focus(); }
  } else if (event.key === "Escape") closeSuggestions();
});
suggestions.addEventListener("keydown", (event) => {
  const buttons = [...suggestions.querySelectorAll("button")];
  const i = buttons.indexOf(document.activeElement);
  if (event.key === "ArrowDown" && i < buttons.length - 1) { event.preventDefault(); buttons[i + 1].focus(); }
  if (event.key === "ArrowUp") { event.preventDefault(); (i > 0 ? buttons[i - 1] : search).focus(); }
  if (event.key === "Escape") { closeSuggestions(); search.focus(); }
});
$("search-form").addEventListener("submit", safe(async (event) => {
  event.preventDefault();
  const data = await api(`/entities?${q({ q: search.value.trim(), limit: 1 })}`);
  closeSuggestions();
  if (data.items.length) await openEntity(data.items[0].key);
  else showError(`no entity matches ${JSON.stringify(search.value)}`);
}));

// ------------------------------------------------------------------ path finder
$("path-form").addEventListener("submit", safe(async (event) => {
  event.preventDefault();
  const data = await api(`/paths?${q({ from: $("path-from").value, to: $("path-to").value })}`);
  const box = $("path-result");
  box.replaceChildren();
  if (!data.found) { box.append(el("p", { text: `No path from ${data.from.name} to ${data.to.name}.` })); return; }
  addGraph(Object.values(data.entities), data.edges);
  cy.elements().removeClass("path");
  const list = el("ol", { id: "path-steps" });
  for (const e of data.edges) {
    cy.getElementById(edgeId(e)).addClass("path");
    cy.getElementById(e.subject).addClass("path");
    cy.getElementById(e.object).addClass("path");
    list.append(el("li", {}, `${data.entities[e.subject].name} `,
      el("span", { class: "predicate", text: e.predicate }), ` ${data.entities[e.object].name} `,
      el("button", { type: "button", onclick: safe(() => showFacts(e.subject, e.predicate, e.object)) }, "facts")));
  }
  box.append(list);
}));

// ------------------------------------------------------------------ predict and ask
$("predict-form").addEventListener("submit", safe(async (event) => {
  event.preventDefault();
  const data = await api("/predict", { method: "POST", body: JSON.stringify({ texts: [$("predict-text").value] }) });
  const p = data.predictions[0];
  const scores = Object.entries(p.scores).sort((a, b) => b[1] - a[1])
    .map(([label, s]) => `${label} ${s.toFixed(2)}`).join(", ");
  $("predict-result").replaceChildren(
    el("p", {}, "Label: ", el("strong", { id: "predicted-label", text: p.labels.join(", ") || "(none)" })),
    el("p", { class: "muted", text: `scores: ${scores}` }),
    el("p", { class: "muted", text: `linked entities: ${p.entities.join(", ") || "none"}` }));
}));

$("ask-form").addEventListener("submit", safe(async (event) => {
  event.preventDefault();
  const data = await api("/ask", { method: "POST", body: JSON.stringify({ question: $("ask-question").value, top_k: 5 }) });
  const list = el("ol", { id: "answers" });
  for (const a of data.answers) {
    const path = a.path.map((f) => (f.inverse ? `← ${f.predicate}` : `${f.predicate} →`)).join(" ");
    list.append(el("li", {},
      el("button", { type: "button", onclick: safe(() => openEntity(a.key)) }, a.name),
      el("span", { class: "muted", text: ` ${a.score.toFixed(3)} ${path}` }),
      ...a.sentences.map((s) => el("blockquote", { text: s }))));
  }
  $("ask-result").replaceChildren(list);
}));

// ------------------------------------------------------------------ start
api("/health").then((health) => {
  $("store-info").textContent = `${health.store} (${health.query_language})`;
  $("predict-box").hidden = !health.models.some((m) => m.task === "classify");
  $("ask-box").hidden = !health.models.some((m) => m.task === "qa");
  document.body.dataset.ready = "true";
}).catch(() => {});
