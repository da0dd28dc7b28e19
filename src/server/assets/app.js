// dateline's page: the address holds the state (/?q=...&since=...; /?article=ID&passage=N&q=...), the
// API gives JSON, and article text is only ever set as text (textContent), never parsed as markup.
"use strict";

const PAGE = 20;
const SEARCH_KEYS = ["q", "since", "until", "within", "match", "sort", "per_article", "fuzzy"];
const DEFAULTS = { within: "article", match: "all", sort: "relevance", per_article: "1", fuzzy: "" };
const $ = (id) => document.getElementById(id);

let shown = 0;
let generation = 0;
// Whether the article on view was opened from the results of this page (Back then returns to them).
let fromResults = false;

// The search parameters of the address, without the defaults.
function stateFromAddress() {
  const params = new URLSearchParams(location.search);
  const state = {};
  for (const key of SEARCH_KEYS.concat(["article", "passage"])) {
    const v = params.get(key);
    if (v !== null && v !== "") state[key] = v;
  }
  return state;
}

function searchParams(state, extra) {
  const params = new URLSearchParams();
  for (const key of SEARCH_KEYS) {
    const v = state[key];
    if (v !== undefined && v !== "" && v !== DEFAULTS[key]) params.set(key, v);
  }
  for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
  return params;
}

function formState() {
  const state = {};
  for (const key of SEARCH_KEYS) {
    const el = $(key);
    if (el.type === "checkbox") {
      if (el.checked) state[key] = "true";
    } else if (el.value.trim() !== "") {
      state[key] = el.value.trim();
    }
  }
  return state;
}

function fillForm(state) {
  for (const key of SEARCH_KEYS) {
    const el = $(key);
    if (el.type === "checkbox") el.checked = state[key] === "true";
    else el.value = state[key] !== undefined ? state[key] : (DEFAULTS[key] || "");
  }
}

function go(state) {
  const params = searchParams(state, {});
  if (state.article) params.set("article", state.article);
  if (state.passage) params.set("passage", state.passage);
  history.pushState(null, "", "/?" + params.toString());
  render();
}

// Text with the byte ranges `ranges` (UTF-8, as the API gives them) marked.
function marked(text, ranges) {
  const frag = document.createDocumentFragment();
  const bytes = new TextEncoder().encode(text);
  const decode = (a, b) => new TextDecoder().decode(bytes.subarray(a, b));
  let at = 0;
  for (const [start, end] of ranges || []) {
    if (start < at || end > bytes.length || start >= end) continue;
    if (start > at) frag.appendChild(document.createTextNode(decode(at, start)));
    const mark = document.createElement("mark");
    mark.textContent = decode(start, end);
    frag.appendChild(mark);
    at = end;
  }
  if (at < bytes.length) frag.appendChild(document.createTextNode(decode(at, bytes.length)));
  return frag;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function showError(body) {
  const box = $("error");
  box.replaceChildren();
  if (!body) {
    box.hidden = true;
    return;
  }
  box.appendChild(document.createTextNode(body.error || "the request failed"));
  if (body.hint) box.appendChild(el("span", "hint", "Hint: " + body.hint));
  box.hidden = false;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = { error: "the server answered " + response.status };
  }
  if (!response.ok) throw body;
  return body;
}

function articleLink(state, hit) {
  const params = searchParams(state, { article: hit.article, passage: String(hit.passage) });
  return "/?" + params.toString();
}

// A link to the article at `passage` that opens in the page (and in a new tab when asked to).
function articleAnchor(state, article, passage, className, text) {
  const link = el("a", className, text);
  link.href = articleLink(state, { article: article, passage: passage });
  link.addEventListener("click", (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    history.pushState(null, "", link.href);
    fromResults = true;
    render();
  });
  return link;
}

// A link to the page an article came from, for http(s) addresses only (never `javascript:` and the
// like); it opens apart, telling the site nothing of this page.
function externalLink(url, text) {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  const link = el("a", "external", text);
  link.href = url;
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  link.referrerPolicy = "no-referrer";
  return link;
}

function renderHit(state, hit) {
  const li = el("li", "hit");
  const head = el("div", "head");
  head.appendChild(el("span", "date", hit.date || "undated"));
  head.appendChild(articleAnchor(state, hit.article, hit.passage, "headline", hit.headline || hit.article));
  head.appendChild(el("span", "where", hit.article + " · ¶" + hit.passage));
  if (hit.source) head.appendChild(el("span", "source", hit.source));
  const original = externalLink(hit.url, "original ↗");
  if (original) head.appendChild(original);
  li.appendChild(head);
  const snippet = el("p", "snippet");
  snippet.appendChild(marked(hit.snippet, hit.highlights));
  li.appendChild(snippet);
  for (const also of hit.also || []) {
    const p = el("p", "also");
    p.appendChild(articleAnchor(state, hit.article, also.passage, "label", "also ¶" + also.passage));
    p.appendChild(marked(also.snippet, also.highlights));
    li.appendChild(p);
  }
  // Copies of the story (re-sent, corrected, printed twice) collapsed under this hit: a disclosure
  // that lists them, each opening in the page.
  if (hit.copies > 0) {
    const details = el("details", "copies");
    details.appendChild(el("summary", null, "+" + hit.copies + (hit.copies === 1 ? " copy" : " copies") + " of this story"));
    const list = el("ul");
    for (const id of hit.copy_ids || []) {
      const item = el("li");
      item.appendChild(articleAnchor(state, id, 1, "copy", id));
      list.appendChild(item);
    }
    details.appendChild(list);
    li.appendChild(details);
  }
  return li;
}

function summaryLine(body, count) {
  const articles = body.total_articles || 0;
  const passages = body.total_passages || 0;
  if (articles === 0) return "Nothing found.";
  const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");
  const stories = body.total_stories;
  const grouped = stories !== undefined && stories !== null && stories !== articles
    ? (stories === 1 ? "1 story, " : stories + " stories, ") : "";
  return plural(articles, "matching article") + " (" + grouped + plural(passages, "passage") +
    " with query words); " + count + " shown.";
}

async function loadPage(state, offset, mine) {
  const params = searchParams(state, { n: String(PAGE), offset: String(offset) });
  const body = await getJson("/api/search?" + params.toString());
  if (mine !== generation) return;
  const list = $("hits");
  for (const hit of body.hits) list.appendChild(renderHit(state, hit));
  shown = offset + body.hits.length;
  $("summary").textContent = summaryLine(body, shown);
  // A full page may have a next one (with several passages per article, hits and articles differ).
  $("more").hidden = body.hits.length < PAGE;
}

function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  return node;
}

async function loadTimeline(state, mine) {
  const params = new URLSearchParams();
  params.set("q", state.q);
  for (const key of ["since", "until", "match", "within"]) if (state[key]) params.set(key, state[key]);
  // Attention as a share: matching articles over all articles of each bucket (null: no article at all).
  const share = $("timeline-share").checked;
  if (share) params.set("share", "true");
  const figure = $("timeline");
  let body;
  try {
    body = await getJson("/api/timeline?" + params.toString());
  } catch (e) {
    figure.hidden = true;
    return;
  }
  if (mine !== generation) return;
  const buckets = (body.series[0] && body.series[0].buckets) || [];
  if (buckets.length === 0) {
    figure.hidden = true;
    return;
  }
  // Stories by default (copies of a wire story once per bucket), as the API counts them.
  const value = (b) => (share ? (b.share === null ? 0 : b.share) : b.stories);
  const percent = (x) => (100 * x).toFixed(1) + "%";
  const most = share ? Math.max(0.001, ...buckets.map(value)) : Math.max(1, ...buckets.map(value));
  const width = 1000, height = 120, bottom = 16;
  const step = width / buckets.length;
  const chart = svg("svg", { viewBox: "0 0 " + width + " " + height, preserveAspectRatio: "none",
    role: "img", "aria-label": "Matching stories per " + body.by });
  buckets.forEach((b, i) => {
    const h = Math.round(((height - bottom - 4) * value(b)) / most);
    const bar = svg("rect", {
      class: "bar" + (b.partial ? " partial" : ""), x: i * step + step * 0.1, width: Math.max(1, step * 0.8),
      y: height - bottom - h, height: Math.max(h, b.stories > 0 ? 1 : 0), tabindex: 0,
      "data-start": b.start, "data-end": b.end,
    });
    const title = svg("title");
    const counted = (b.stories === 1 ? "1 story" : b.stories + " stories") +
      (b.articles !== b.stories ? " in " + b.articles + " articles" : "");
    title.textContent = b.label + ": " + (share
      ? (b.share === null ? "no articles at all" : percent(b.share) + " of all stories (" + counted + "; " + b.all_stories + " stories in all)")
      : counted) + " (click to narrow the dates to it)";
    bar.appendChild(title);
    const narrow = () => go(Object.assign({}, state, { since: b.start, until: b.end }));
    bar.addEventListener("click", narrow);
    bar.addEventListener("keydown", (event) => { if (event.key === "Enter") narrow(); });
    chart.appendChild(bar);
  });
  const first = svg("text", { x: 2, y: height - 3 });
  first.textContent = buckets[0].label;
  const last = svg("text", { x: width - 2, y: height - 3, "text-anchor": "end" });
  last.textContent = buckets[buckets.length - 1].label;
  chart.appendChild(first);
  chart.appendChild(last);
  $("timeline-chart").replaceChildren(chart);
  $("timeline-caption").textContent = (share
    ? "Matching stories as a share of all stories per " + body.by + " (most: " + percent(most) + ")"
    : "Matching stories per " + body.by + " (copies of a story once; most: " + most + ")") + "; click a bar to narrow the dates to it.";
  figure.hidden = false;
}

function setExports(state) {
  const params = searchParams(state, {}).toString();
  $("export-csv").href = "/api/search.csv?" + params;
  $("export-jsonl").href = "/api/search.jsonl?" + params;
  $("export-json").href = "/api/search.json?" + params;
  $("exports").hidden = false;
}

// The names and words most over-represented in the matches; clicking one adds it to the query.
async function loadRelated(state, mine) {
  const params = new URLSearchParams();
  params.set("q", state.q);
  params.set("n", "8");
  for (const key of ["since", "until", "match"]) if (state[key]) params.set(key, state[key]);
  let body;
  try {
    body = await getJson("/api/related?" + params.toString());
  } catch (e) {
    $("related").hidden = true;
    return;
  }
  if (mine !== generation) return;
  if (body.names.length === 0 && body.words.length === 0) {
    $("related").hidden = true;
    return;
  }
  const list = (id, terms, quote) => {
    const ul = $(id);
    ul.replaceChildren();
    for (const t of terms) {
      const li = el("li");
      const link = el("a", "term", t.text);
      link.href = "#";
      link.title = t.in_matches + " of the matching stories, " + t.in_archive + " articles in all; click to add it to the query";
      link.addEventListener("click", (event) => {
        event.preventDefault();
        const added = quote && t.text.includes(" ") ? '"' + t.text + '"' : t.text;
        go(Object.assign({}, state, { q: state.q + " " + added }));
      });
      li.appendChild(link);
      li.appendChild(el("span", "n", String(t.in_matches)));
      ul.appendChild(li);
    }
    ul.previousElementSibling.hidden = terms.length === 0;
  };
  list("related-names", body.names, true);
  list("related-words", body.words, false);
  $("related-note").textContent = body.sampled < body.stories
    ? "from a sample of " + body.sampled + " of " + body.stories + " stories"
    : "in " + body.stories + (body.stories === 1 ? " story" : " stories") + ", against the archive";
  $("related").hidden = false;
}

async function renderSearch(state, mine) {
  $("related").hidden = true;
  $("article-view").hidden = true;
  $("results-view").hidden = false;
  $("hits").replaceChildren();
  $("more").hidden = true;
  $("exports").hidden = true;
  $("timeline").hidden = true;
  $("summary").textContent = "";
  if (!state.q) {
    document.title = "dateline";
    return;
  }
  document.title = state.q + " · dateline";
  $("summary").textContent = "Searching…";
  try {
    await loadPage(state, 0, mine);
  } catch (body) {
    if (mine !== generation) return;
    $("summary").textContent = "";
    showError(body);
    return;
  }
  setExports(state);
  loadTimeline(state, mine);
  loadRelated(state, mine);
}

async function renderArticle(state, mine) {
  $("results-view").hidden = true;
  const view = $("article-view");
  const params = new URLSearchParams();
  if (state.q) params.set("highlight", state.q);
  let body;
  try {
    body = await getJson("/api/articles/" + encodeURIComponent(state.article) + "?" + params.toString());
  } catch (error) {
    if (mine !== generation) return;
    showError(error);
    view.hidden = true;
    return;
  }
  if (mine !== generation) return;
  document.title = (body.headline || body.article) + " · dateline";
  $("article-headline").textContent = body.headline || body.article;
  const facts = [body.date || "undated"];
  if (body.source) facts.push(body.source);
  if (body.authors && body.authors.length) facts.push("by " + body.authors.join(", "));
  facts.push(body.article);
  const meta = $("article-meta");
  meta.textContent = facts.join(" · ");
  const original = externalLink(body.url, "original page ↗");
  if (original) {
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(original);
  }
  const back = $("back");
  back.href = "/?" + searchParams(state, {}).toString();
  const container = $("article-body");
  container.replaceChildren();
  const wanted = Number(state.passage || 0);
  let target = null;
  body.paragraphs.forEach((text, i) => {
    const [first, last] = body.passages[i] || [i + 1, i + 1];
    const row = el("div", "para");
    row.id = "p" + first;
    row.appendChild(el("span", "num", first === last ? "¶" + first : "¶" + first + "–" + last));
    const p = el("p");
    p.appendChild(marked(text, body.highlights ? body.highlights[i] : []));
    row.appendChild(p);
    if (wanted >= first && wanted <= last) {
      row.classList.add("current");
      target = row;
    }
    container.appendChild(row);
  });
  view.hidden = false;
  if (target) target.scrollIntoView({ block: "center" });
  else window.scrollTo(0, 0);
}

function render() {
  const mine = ++generation;
  const state = stateFromAddress();
  fillForm(state);
  showError(null);
  if (state.article) {
    renderArticle(state, mine);
  } else {
    fromResults = false;
    renderSearch(state, mine);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("search").addEventListener("submit", (event) => {
    event.preventDefault();
    go(formState());
  });
  for (const key of ["within", "match", "sort", "per_article", "fuzzy"]) {
    $(key).addEventListener("change", () => { if ($("q").value.trim()) go(formState()); });
  }
  $("timeline-share").addEventListener("change", () => {
    const state = stateFromAddress();
    if (state.q && !state.article) loadTimeline(state, generation);
  });
  $("more").addEventListener("click", async () => {
    const mine = generation;
    try {
      await loadPage(stateFromAddress(), shown, mine);
    } catch (body) {
      showError(body);
    }
  });
  $("back").addEventListener("click", (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (fromResults) {
      history.back();
    } else {
      history.pushState(null, "", $("back").href);
      render();
    }
  });
  document.addEventListener("keydown", (event) => {
    const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      $("q").focus();
      $("q").select();
    }
  });
  window.addEventListener("popstate", render);
  render();
});
