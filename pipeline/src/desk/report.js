"use strict";
// claimex report: renders the JSON block #data. Every string from the records goes into the
// page through textContent or attribute values set with setAttribute, never as markup.
(function () {
  const D = JSON.parse(document.getElementById("data").textContent);
  const A = D.articles;
  // row fields: [rank, article index, claim id, kind, speaker, speaker title, standalone,
  //              score, group, group size, source]
  const R = D.rows;
  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) e.setAttribute(k, String(v));
    }
    for (const k of kids) {
      if (k === null || k === undefined) continue;
      e.append(typeof k === "string" || typeof k === "number" ? document.createTextNode(String(k)) : k);
    }
    return e;
  }
  const fmt = (s) => (s === null || s === undefined ? "–" : Number(s).toFixed(3));
  const label = (a) => (a.title ? a.title + " (" + a.id + ")" : a.id);
  const hue = (i) => (i === null || i === undefined ? null : Math.round((i * 137.508) % 360));
  function articleLink(ai, cid, text) {
    const href = "#a/" + ai + (cid ? "/" + encodeURIComponent(cid) : "");
    return el("a", { href: href }, text);
  }

  // ---- overview ----
  function overview() {
    const s = $("overview");
    s.replaceChildren();
    const failed = A.filter((a) => a.status !== "ok");
    const kinds = { quoted: 0, reported: 0, narrative: 0 };
    for (const r of R) kinds[r[3]] = (kinds[r[3]] || 0) + 1;
    s.append(el("h2", {}, "Batch"));
    const cards = el("div", { class: "cards" });
    const card = (n, t, id) => cards.append(el("div", { class: "card", id: id }, el("b", {}, n), t));
    card(A.length, "articles", "n-articles");
    card(failed.length, "failed", "n-failed");
    card(R.length, "claims", "n-claims");
    for (const k of ["quoted", "reported", "narrative"]) card(kinds[k], k, "n-" + k);
    card(D.groups.length, "groups across articles", "n-groups");
    s.append(cards);
    if (failed.length) {
      s.append(el("h2", {}, "Failed articles"));
      const ul = el("ul", { class: "failed", id: "failed" });
      for (const a of failed) {
        ul.append(el("li", {}, el("b", {}, a.id), " — ", el("code", {}, a.error ? a.error.kind : "error"), ": ", a.error ? a.error.message : ""));
      }
      s.append(ul);
    }
    s.append(el("h2", {}, "Top claims"));
    const ol = el("ol", { id: "top-claims" });
    for (const r of R.slice(0, 10)) {
      const a = A[r[1]];
      ol.append(el("li", {}, el("span", { class: "kind " + r[3] }, r[3]), " ", fmt(r[7]), " ", articleLink(r[1], r[2], r[6]), " ", el("span", { class: "muted" }, "— " + (r[4] || r[10] || "the article") + ", " + label(a))));
    }
    s.append(ol);
    if (D.groups.length) {
      s.append(el("h2", {}, "Largest groups"));
      const gl = el("ol", { id: "top-groups" });
      for (const g of D.groups.slice(0, 10)) {
        const b = el("button", { class: "linkish", type: "button" }, g.text);
        b.addEventListener("click", () => { state.group = g.id; $("f-group").value = g.id; location.hash = "#claims"; table(); });
        gl.append(el("li", {}, b, el("span", { class: "muted" }, " — " + g.size + " claims in " + g.articles + " articles (" + g.id + ")")));
      }
      s.append(gl);
    }
  }

  // ---- claims table ----
  const state = { sort: "score", dir: -1, text: "", kind: "", speaker: "", min: null, group: "", shown: 200 };
  const keys = {
    score: (r) => (r[7] === null ? -1 : r[7]),
    speaker: (r) => (r[4] || r[10] || "").toLowerCase(),
    article: (r) => A[r[1]].id,
    group: (r) => r[8] || "\uffff",
  };
  function controls() {
    const s = $("claims");
    s.replaceChildren(el("h2", {}, "Claims"));
    const c = el("div", { class: "controls", role: "search" });
    const input = (id, lab, type, extra) => {
      const i = el("input", Object.assign({ id: id, type: type }, extra || {}));
      c.append(el("label", { for: id }, lab, i));
      return i;
    };
    input("f-text", "Text contains", "search").addEventListener("input", (e) => { state.text = e.target.value.toLowerCase(); state.shown = 200; table(); });
    const sel = el("select", { id: "f-kind" }, el("option", { value: "" }, "all kinds"), el("option", { value: "quoted" }, "quoted"), el("option", { value: "reported" }, "reported"), el("option", { value: "narrative" }, "narrative"));
    c.append(el("label", { for: "f-kind" }, "Kind", sel));
    sel.addEventListener("change", (e) => { state.kind = e.target.value; state.shown = 200; table(); });
    input("f-speaker", "Speaker", "search").addEventListener("input", (e) => { state.speaker = e.target.value.toLowerCase(); state.shown = 200; table(); });
    input("f-min", "Minimum score", "number", { min: 0, max: 1, step: 0.05 }).addEventListener("input", (e) => { state.min = e.target.value === "" ? null : Number(e.target.value); state.shown = 200; table(); });
    input("f-group", "Group", "search").addEventListener("input", (e) => { state.group = e.target.value.trim(); state.shown = 200; table(); });
    s.append(c, el("p", { id: "claims-count", class: "muted", "aria-live": "polite" }));
    const t = el("table", { id: "claims-table" });
    const hr = el("tr");
    const th = (txt, key) => {
      if (!key) return hr.append(el("th", { scope: "col" }, txt));
      const b = el("button", { type: "button", "data-sort": key }, txt);
      b.addEventListener("click", () => {
        state.dir = state.sort === key ? -state.dir : key === "score" ? -1 : 1;
        state.sort = key;
        table();
      });
      hr.append(el("th", { scope: "col", "data-key": key }, b));
    };
    th("#"); th("Score", "score"); th("Kind"); th("Speaker", "speaker"); th("Claim"); th("Article", "article"); th("Group", "group");
    t.append(el("thead", {}, hr), el("tbody"));
    s.append(t);
    const more = el("button", { id: "more", type: "button" }, "Show more");
    more.addEventListener("click", () => { state.shown += 500; table(); });
    s.append(more);
  }
  function table() {
    let rows = R.filter((r) =>
      (!state.kind || r[3] === state.kind) &&
      (!state.text || r[6].toLowerCase().includes(state.text)) &&
      (!state.speaker || (r[4] || r[10] || "").toLowerCase().includes(state.speaker)) &&
      (state.min === null || (r[7] !== null && r[7] >= state.min)) &&
      (!state.group || r[8] === state.group));
    const k = keys[state.sort];
    rows = rows.slice().sort((a, b) => {
      const x = k(a), y = k(b);
      return (x < y ? -1 : x > y ? 1 : 0) * state.dir || a[0] - b[0];
    });
    for (const h of document.querySelectorAll("#claims-table th[data-key]")) {
      h.setAttribute("aria-sort", h.getAttribute("data-key") === state.sort ? (state.dir < 0 ? "descending" : "ascending") : "none");
    }
    const body = document.querySelector("#claims-table tbody");
    body.replaceChildren();
    for (const r of rows.slice(0, state.shown)) {
      const a = A[r[1]];
      const g = r[8] ? el("button", { class: "linkish", type: "button" }, r[8] + " (" + r[9] + ")") : "";
      if (g) g.addEventListener("click", () => { state.group = r[8]; $("f-group").value = r[8]; table(); });
      body.append(el("tr", { "data-rank": r[0] },
        el("td", { class: "num" }, r[0]),
        el("td", { class: "num" }, fmt(r[7])),
        el("td", {}, el("span", { class: "kind " + r[3] }, r[3])),
        el("td", {}, r[4] || (r[10] ? r[10] : ""), r[5] ? el("div", { class: "muted" }, r[5]) : null),
        el("td", {}, articleLink(r[1], r[2], r[6])),
        el("td", {}, label(a)),
        el("td", {}, g)));
    }
    $("claims-count").textContent = rows.length + " of " + R.length + " claims" + (rows.length > state.shown ? ", first " + state.shown + " shown" : "");
    $("more").hidden = rows.length <= state.shown;
  }

  // ---- article list ----
  function list() {
    const s = $("articles");
    s.replaceChildren(el("h2", {}, "Articles"));
    const ul = el("ul", { id: "article-list" });
    A.forEach((a, i) => {
      ul.append(el("li", {}, a.status === "ok" ? articleLink(i, null, label(a)) : el("span", { class: "muted" }, label(a) + " — failed"), a.status === "ok" ? el("span", { class: "muted" }, " — " + a.claims.length + " claims") : null));
    });
    s.append(ul);
  }

  // ---- one article ----
  function showPanel(...kids) {
    const p = $("panel");
    const close = el("button", { type: "button", id: "panel-close" }, "Close");
    close.addEventListener("click", () => { p.hidden = true; });
    p.replaceChildren(close, ...kids);
    p.hidden = false;
  }
  function dl(pairs) {
    const d = el("dl");
    for (const [k, v] of pairs) if (v !== null && v !== undefined && v !== "") d.append(el("dt", {}, k), el("dd", {}, v));
    return d;
  }
  function renderArticle(ai, cid) {
    const a = A[ai];
    const s = $("article");
    if (!a || a.status !== "ok") { s.replaceChildren(el("p", {}, "No such article.")); return; }
    const t = a.text;
    const marks = [];
    a.quotes.forEach((q, qi) => {
      for (const c of q.contents) marks.push([c[0], c[1], "content", qi]);
      for (const c of q.sources) marks.push([c[0], c[1], "source", qi]);
      if (q.cue) marks.push([q.cue[0], q.cue[1], "cue", qi]);
    });
    a.entities.forEach((e, ei) => { for (const m of e.mentions) marks.push([m[0], m[1], "mention", ei]); });
    a.claims.forEach((c, ci) => marks.push([c.span[0], c.span[1], "claim", ci]));
    const body = el("div", { id: "article-text" });
    for (const [ps, pe, role] of a.paragraphs) {
      const p = el("p", { class: role });
      const inside = marks.filter((m) => m[0] < pe && m[1] > ps);
      const cuts = new Set([ps, pe]);
      for (const m of inside) { cuts.add(Math.max(ps, m[0])); cuts.add(Math.min(pe, m[1])); }
      const bounds = [...cuts].sort((x, y) => x - y);
      for (let i = 0; i + 1 < bounds.length; i++) {
        const [b, e] = [bounds[i], bounds[i + 1]];
        const cover = inside.filter((m) => m[0] <= b && m[1] >= e);
        const piece = t.slice(b, e);
        if (!cover.length) { p.append(document.createTextNode(piece)); continue; }
        const sp = el("span", {});
        const cls = [];
        for (const [ms, me, kind, idx] of cover) {
          cls.push(kind);
          if (kind === "content" || kind === "source" || kind === "cue") {
            sp.setAttribute("data-q", idx);
            const h = hue(a.quotes[idx].speaker);
            if (h === null) cls.push("nospeaker"); else sp.style.setProperty("--h", h);
          } else if (kind === "mention") sp.setAttribute("data-e", idx);
          else if (kind === "claim") sp.setAttribute("data-c", idx);
          if (ms === b) sp.setAttribute("tabindex", "0");
        }
        sp.setAttribute("class", cls.join(" "));
        sp.setAttribute("data-start", b);
        sp.textContent = piece;
        p.append(sp);
        a.claims.forEach((c, ci) => {
          if (c.span[1] === e && cover.some((m) => m[2] === "claim" && m[3] === ci)) {
            p.append(el("sup", { class: "score", "data-c": ci, tabindex: 0, title: "check-worthiness" }, fmt(c.score)));
          }
        });
      }
      body.append(p);
    }
    const back = el("a", { href: "#claims" }, "← Back to the claims");
    const legend = el("p", { class: "legend muted" }, el("span", { class: "source" }, "source"), el("span", { class: "cue" }, "cue"), el("span", { class: "content" }, "content (a colour per speaker)"), el("span", { class: "mention" }, "entity mention"), el("span", { class: "claim" }, "claim"));
    const head = [back, el("h2", { id: "article-title" }, label(a))];
    if (a.published) head.push(el("p", { class: "muted" }, a.published));
    s.replaceChildren(...head, legend, body);
    body.addEventListener("click", onMark);
    body.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); onMark(ev); } });
    function select(nodes) {
      for (const n of body.querySelectorAll(".selected")) n.classList.remove("selected");
      for (const n of nodes) n.classList.add("selected");
    }
    function onMark(ev) {
      const n = ev.target.closest("[data-q],[data-e],[data-c]");
      if (!n) return;
      // the most specific mark wins: a claim's score, an entity mention, a quote, a claim
      if (n.tagName === "SUP") return claim(Number(n.getAttribute("data-c")));
      if (n.hasAttribute("data-e")) return entity(Number(n.getAttribute("data-e")));
      if (n.hasAttribute("data-q")) return quote(Number(n.getAttribute("data-q")));
      if (n.hasAttribute("data-c")) return claim(Number(n.getAttribute("data-c")));
    }
    function quote(qi) {
      const q = a.quotes[qi];
      const sp = q.speaker === null ? null : a.entities[q.speaker];
      select(body.querySelectorAll('[data-q="' + qi + '"]'));
      showPanel(el("h3", {}, "Quote " + q.id + " (" + q.type + ")"), dl([
        ["Speaker", sp ? sp.name : "unresolved"], ["Speaker's title", sp ? sp.title : null],
        ["Cue", q.cue ? t.slice(q.cue[0], q.cue[1]) : "none"],
        ["Sources", q.sources.map((x) => t.slice(x[0], x[1])).join(" · ")],
        ["Content", q.contents.map((x) => t.slice(x[0], x[1])).join(" … ")],
        ["Confidence", fmt(q.confidence)]]));
    }
    function entity(ei) {
      const e = a.entities[ei];
      select(body.querySelectorAll('[data-e="' + ei + '"]'));
      const ul = el("ul", { id: "mentions" });
      for (const m of e.mentions) {
        const b = el("button", { class: "linkish", type: "button" }, t.slice(m[0], m[1]));
        b.addEventListener("click", () => { const n = body.querySelector('[data-e="' + ei + '"][data-start="' + m[0] + '"]'); if (n) { n.scrollIntoView({ block: "center" }); n.focus(); } });
        ul.append(el("li", {}, b, el("span", { class: "muted" }, " " + m[2])));
      }
      showPanel(el("h3", {}, e.name), dl([["Type", e.type], ["Title", e.title], ["Mentions", String(e.mentions.length)]]), ul);
    }
    function claim(ci) {
      const c = a.claims[ci];
      const sp = c.speaker === null ? null : a.entities[c.speaker];
      select(body.querySelectorAll('[data-c="' + ci + '"]'));
      showPanel(el("h3", {}, "Claim " + c.id + " (" + c.kind + ")"), dl([
        ["Check-worthiness", fmt(c.score)], ["Said by", sp ? sp.name : c.source ? c.source + " (the article)" : c.kind === "narrative" ? "the article" : "unresolved"],
        ["Standalone", c.standalone], ["Group", c.group]]));
    }
    if (cid) {
      const ci = a.claims.findIndex((c) => c.id === cid);
      if (ci >= 0) {
        const n = body.querySelector('[data-c="' + ci + '"]');
        claim(ci);
        if (n) { n.scrollIntoView({ block: "center" }); n.focus(); }
      }
    } else window.scrollTo(0, 0);
  }

  // ---- routing: #a/<article index>[/<claim id>] shows one article, anything else the lists ----
  function route() {
    const m = /^#a\/(\d+)(?:\/([^/]+))?$/.exec(location.hash);
    const lists = ["overview", "claims", "articles"];
    $("panel").hidden = true;
    if (m) {
      for (const id of lists) $(id).hidden = true;
      $("article").hidden = false;
      renderArticle(Number(m[1]), m[2] ? decodeURIComponent(m[2]) : null);
    } else {
      for (const id of lists) $(id).hidden = false;
      $("article").hidden = true;
    }
  }
  overview();
  controls();
  table();
  list();
  window.addEventListener("hashchange", route);
  route();
  document.body.setAttribute("data-ready", "1");
})();
