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

function startReview(root) {
  const review = root.dataset.review;
  root.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const item = button.closest("li.finding");
    const editor = item.querySelector(".editor");
    const error = item.querySelector(".error");
    const action = button.dataset.action;
    if (action === "edit") {
      editor.hidden = false;
      editor.querySelector("input").focus();
      return;
    }
    const decision = {status: action};
    if (action === "edited") decision.text = editor.querySelector("input").value;
    showError(error, "");
    try {
      const body = await answer(await fetch("/v1/reviews/" + encodeURIComponent(review) + "/findings/" + item.dataset.number, {
        method: "PUT", headers: {"Content-Type": "application/json"}, body: JSON.stringify(decision)}));
      item.dataset.status = body.decision.status;
      item.querySelector(".state").textContent = body.decision.status;
      if (action === "edited") editor.hidden = true;
    } catch (e) {
      showError(error, e.message);
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("new-review");
  if (form) startForm(form);
  const root = document.getElementById("review");
  if (root) startReview(root);
});
