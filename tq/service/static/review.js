// The review page: saves each decision as it is made (PUT /v1/reviews/ID/findings/N) and starts a review from
// the paste form (POST /v1/reviews). Text from the articles is only ever set with textContent/value.
"use strict";

function showError(element, message) {
  element.textContent = message;
  element.hidden = !message;
}

async function answer(response) {
  let body = {};
  try { body = await response.json(); } catch (e) { body = {}; }
  if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
  return body;
}

function readInto(fileInput, textarea) {
  fileInput.addEventListener("change", () => {
    const file = fileInput.files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      textarea.value = reader.result;
      const kind = /\.html?$/i.test(file.name) ? "html" : /\.(md|markdown)$/i.test(file.name) ? "markdown" : null;
      if (kind) document.getElementById("markup").value = kind;
    };
    reader.readAsText(file, "utf-8");
  });
}

function startForm(form) {
  const status = document.getElementById("status");
  const error = document.getElementById("error");
  readInto(document.getElementById("source-file"), document.getElementById("source"));
  readInto(document.getElementById("translation-file"), document.getElementById("translation"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(error, "");
    status.textContent = "checking…";
    try {
      const body = await answer(await fetch("/v1/reviews", {
        method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({source: form.source.value, translation: form.translation.value, markup: form.markup.value})}));
      window.location.assign(body.url);
    } catch (e) {
      status.textContent = "";
      showError(error, e.message);
    }
  });
}

// ---- word diff --------------------------------------------------------------------------------------------------
// Hand-written, not a library: the CSP allows only the page's own static script (no CDN, nothing inline) and tq has
// no JS bundler to vendor one through; a longest-common-subsequence over words is a few lines.

const DIFF_LIMIT = 250;  // tokens per side past the common ends; beyond it (an O(n·m) table) all old out, all new in

function wordTokens(text) {
  // words (letters, digits, apostrophes, hyphens), single punctuation marks and runs of whitespace, in order
  return text.match(/\s+|[\p{L}\p{N}\p{M}'’_-]+|[^\s\p{L}\p{N}\p{M}]/gu) || [];
}

// [[op, text], ...] with op "same", "del" or "ins": each changed stretch as its deletion then its insertion
function wordDiff(before, after) {
  const a = wordTokens(before), b = wordTokens(after);
  let head = 0, tail = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail), y = b.slice(head, b.length - tail);
  const ops = a.slice(0, head).map((t) => ["same", t]);
  if (x.length > DIFF_LIMIT || y.length > DIFF_LIMIT) {
    x.forEach((t) => ops.push(["del", t]));
    y.forEach((t) => ops.push(["ins", t]));
  } else {
    const lcs = Array.from({length: x.length + 1}, () => new Uint16Array(y.length + 1));  // lcs[i][j]: of x[i:], y[j:]
    for (let i = x.length - 1; i >= 0; i--) {
      for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
    let i = 0, j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) { ops.push(["same", x[i]]); i++; j++; }
      else if (j >= y.length || (i < x.length && lcs[i + 1][j] >= lcs[i][j + 1])) ops.push(["del", x[i++]]);
      else ops.push(["ins", y[j++]]);
    }
  }
  a.slice(a.length - tail).forEach((t) => ops.push(["same", t]));
  // a space kept between two changes reads as part of the change ("old words" → "new text", not word by word)
  ops.forEach((op, k) => {
    if (op[0] === "same" && /^\s+$/.test(op[1]) && k > 0 && k < ops.length - 1 && ops[k - 1][0] !== "same" && ops[k + 1][0] !== "same") op[0] = "both";
  });
  const merged = [];
  let del = "", ins = "";
  const flush = () => {
    if (del) merged.push(["del", del]);
    if (ins) merged.push(["ins", ins]);
    del = ins = "";
  };
  for (const [op, text] of ops) {
    if (op === "same") {
      flush();
      if (merged.length && merged[merged.length - 1][0] === "same") merged[merged.length - 1][1] += text;
      else merged.push(["same", text]);
    } else {
      if (op !== "ins") del += text;
      if (op !== "del") ins += text;
    }
  }
  flush();
  return merged;
}

function showDiff(element, before, after) {
  element.replaceChildren();
  if (before === after) {
    const same = document.createElement("span");
    same.className = "muted";
    same.textContent = "(no change)";
    element.append(same);
    return;
  }
  for (const [op, text] of wordDiff(before, after)) {
    if (op === "same") { element.append(text); continue; }
    const part = document.createElement(op);  // <del> struck, <ins> marked (report.css)
    part.textContent = text;
    element.append(part);
  }
}

// ---- the review ---------------------------------------------------------------------------------------------------

function typingIn(target) {
  return target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT"
    || (target.tagName === "INPUT" && !["checkbox", "radio", "button", "submit"].includes(target.type));
}

function startReview(root) {
  const review = root.dataset.review;
  const items = Array.from(root.querySelectorAll("li.finding"));
  const sections = Array.from(root.querySelectorAll("section.pair"));
  const progress = document.getElementById("progress");
  const shown = document.getElementById("shown");
  const severityBoxes = Array.from(document.querySelectorAll("#filters input[name=severity]"));
  const checkSelect = document.getElementById("filter-check");
  const savedText = new WeakMap();  // an open editor's text when it opened: what Escape goes back to
  let current = null;

  const field = (item) => item.querySelector(".edit-text");
  const marksOf = (item) => root.querySelectorAll(`.tgt [data-findings~="${CSS.escape(item.dataset.id)}"]`);

  function showProgress() {
    const decided = items.filter((item) => item.dataset.status !== "open").length;
    progress.textContent = `${decided} of ${items.length} decided`;
  }

  // from the keyboard (j/k, after an edit): focused and scrolled to; from a click or Tab, neither (the page must not
  // move between a mouse press and its release, or the click is lost)
  function setCurrent(item, keyboard = true) {
    if (current) {
      current.classList.remove("current");
      current.removeAttribute("aria-current");
      marksOf(current).forEach((mark) => mark.classList.remove("current"));
    }
    current = item;
    if (!item) return;
    item.classList.add("current");
    item.setAttribute("aria-current", "true");
    marksOf(item).forEach((mark) => mark.classList.add("current"));
    if (!keyboard) return;
    item.focus({preventScroll: true});
    item.scrollIntoView({block: "nearest"});
  }

  // j/k: the next or previous visible finding after the current one (even when a filter has just hidden that one)
  function move(step) {
    const from = current ? items.indexOf(current) : (step > 0 ? -1 : items.length);
    for (let i = from + step; i >= 0 && i < items.length; i += step) {
      if (!items[i].hidden) { setCurrent(items[i]); return; }
    }
    if (current && !current.hidden) setCurrent(current);  // at either end: stay, and bring it back into view
  }

  async function decide(item, decision) {
    const error = item.querySelector(".error");
    showError(error, "");
    try {
      const body = await answer(await fetch("/v1/reviews/" + encodeURIComponent(review) + "/findings/" + item.dataset.number, {
        method: "PUT", headers: {"Content-Type": "application/json"}, body: JSON.stringify(decision)}));
      item.dataset.status = body.decision.status;
      item.querySelector(".state").textContent = body.decision.status;
      showProgress();
      return true;
    } catch (e) {
      showError(error, e.message);
      return false;
    }
  }

  function openEditor(item) {
    const editor = item.querySelector(".editor");
    const text = field(item);
    if (editor.hidden) savedText.set(item, text.value);
    editor.hidden = false;
    showDiff(item.querySelector(".edit-diff"), item.dataset.text, text.value);
    text.focus({preventScroll: true});
    text.setSelectionRange(text.value.length, text.value.length);
    item.scrollIntoView({block: "nearest"});  // the box and its diff in view
  }

  function closeEditor(item, restore) {
    if (restore && savedText.has(item)) field(item).value = savedText.get(item);
    item.querySelector(".editor").hidden = true;
    setCurrent(item);
  }

  async function saveEdit(item) {
    if (await decide(item, {status: "edited", text: field(item).value})) closeEditor(item, false);
  }

  function act(action, item) {
    if (action === "edit") openEditor(item);
    else if (action === "cancel") closeEditor(item, true);
    else if (action === "edited") saveEdit(item);
    else if (action === "accepted" && item.dataset.suggestion === undefined) {
      showError(item.querySelector(".error"), "nothing to accept: this finding has no suggestion (e edits it)");
    } else if (action !== "open" || item.dataset.status !== "open") decide(item, {status: action});
  }

  function applyFilters() {
    const severities = new Set(severityBoxes.filter((box) => box.checked).map((box) => box.value));
    const check = checkSelect.value;
    let visible = 0;
    for (const item of items) {
      item.hidden = !(severities.has(item.dataset.severity) && (!check || item.dataset.check === check));
      if (!item.hidden) visible++;
    }
    const filtering = visible < items.length;
    for (const section of sections) {  // a segment shows while one of its findings does (all of them, unfiltered)
      section.hidden = filtering && !section.querySelector("li.finding:not([hidden])");
    }
    shown.textContent = `showing ${visible} of ${items.length} findings`;
  }

  function majorPlus() {  // m: major and critical only, or everything again
    const only = severityBoxes.every((box) => box.checked === (box.value !== "minor"));
    severityBoxes.forEach((box) => { box.checked = only || box.value !== "minor"; });
    applyFilters();
  }

  const KEYS = {
    j: () => move(1),
    k: () => move(-1),
    a: () => act("accepted", current),
    r: () => act("rejected", current),
    e: () => act("edit", current),
    u: () => act("open", current),
    m: majorPlus,
  };
  const NEEDS_CURRENT = "areu";

  document.addEventListener("keydown", (event) => {
    if (event.isComposing || event.defaultPrevented) return;
    const text = event.target.closest && event.target.closest(".edit-text");
    if (text) {  // inside the edit box only Enter (saves; Shift+Enter is a new line) and Escape (cancels) mean anything
      const item = text.closest("li.finding");
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); saveEdit(item); }
      else if (event.key === "Escape") { event.preventDefault(); closeEditor(item, true); }
      return;
    }
    if (typingIn(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = KEYS[event.key];
    if (!key) return;
    if (NEEDS_CURRENT.includes(event.key) && (!current || current.hidden)) return;
    event.preventDefault();
    key();
  });

  root.addEventListener("click", (event) => {
    const mark = event.target.closest(".tgt [data-findings]");
    if (mark) {
      const item = items.find((it) => it.dataset.id === mark.dataset.findings.split(" ")[0]);
      if (item && !item.hidden) setCurrent(item);
      return;
    }
    const item = event.target.closest("li.finding");
    if (!item) return;
    const button = event.target.closest("button[data-action]");
    if (item !== current) setCurrent(item, !event.target.closest("button, textarea, input, select, a"));
    if (button) act(button.dataset.action, item);
  });
  root.addEventListener("focusin", (event) => {  // Tab onto a finding's button makes it the current one
    const item = event.target.closest("li.finding");
    if (item && item !== current) setCurrent(item, false);
  });
  root.addEventListener("input", (event) => {
    if (!event.target.classList.contains("edit-text")) return;
    const item = event.target.closest("li.finding");
    showDiff(item.querySelector(".edit-diff"), item.dataset.text, event.target.value);
  });
  severityBoxes.forEach((box) => box.addEventListener("change", applyFilters));
  checkSelect.addEventListener("change", applyFilters);

  for (const item of items) {
    const preview = item.querySelector(".accept-diff");
    if (preview) showDiff(preview, item.dataset.text, item.dataset.suggestion);
  }
  applyFilters();
  showProgress();
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("new-review");
  if (form) startForm(form);
  const root = document.getElementById("review");
  if (root) startReview(root);
});
