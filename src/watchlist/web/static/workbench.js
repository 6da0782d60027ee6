// watchlist workbench: search as you type and keyboard shortcuts. No dependencies, no build step.
"use strict";

function typing(el) {
  return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
}

function setupSearch() {
  const form = document.getElementById("search");
  const results = document.getElementById("results");
  if (!form || !results) return;
  let timer = null;
  let inflight = null;
  const run = () => {
    const params = new URLSearchParams(new FormData(form));
    if (inflight) inflight.abort();
    inflight = new AbortController();
    fetch(form.dataset.results + "?" + params, { headers: { "HX-Request": "true" }, signal: inflight.signal,
                                                  credentials: "same-origin" })
      .then((r) => {
        if (r.status === 401) { window.location.reload(); return null; }
        return r.text();
      })
      .then((html) => {
        if (html === null) return;
        results.innerHTML = html;
        history.replaceState(null, "", form.action + "?" + params);
      })
      .catch((err) => { if (err.name !== "AbortError") results.textContent = "Search failed: " + err; });
  };
  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 200); });
  form.addEventListener("submit", (ev) => { ev.preventDefault(); clearTimeout(timer); run(); });
}

function setupShortcuts() {
  const decision = document.getElementById("decision-form");
  const approval = document.getElementById("approval-form");
  const comment = document.getElementById("comment");
  document.addEventListener("keydown", (ev) => {
    const form = decision || approval;
    if (form && ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      form.requestSubmit();
      return;
    }
    if (typing(document.activeElement) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "/") {
      const q = document.querySelector("#search .q");
      if (q) { ev.preventDefault(); q.focus(); }
      return;
    }
    if (decision) {
      const outcome = { t: "true_match", f: "false_positive", e: "escalate" }[ev.key];
      if (outcome) {
        ev.preventDefault();
        decision.querySelector(`input[name=outcome][value=${outcome}]`).checked = true;
        comment.focus();
      }
    }
    if (approval && (ev.key === "a" || ev.key === "r")) {
      ev.preventDefault();
      approval.dataset.choice = ev.key === "a" ? "approve" : "reject";
      comment.focus();
    }
  });
  if (approval) {
    // Ctrl+Enter after 'r' rejects; otherwise the form's default (approve) applies.
    approval.addEventListener("submit", (ev) => {
      if (ev.submitter || approval.dataset.choice !== "reject") return;
      ev.preventDefault();
      approval.dataset.choice = "";
      document.getElementById("reject").click();
    });
  }
}

document.addEventListener("DOMContentLoaded", () => { setupSearch(); setupShortcuts(); });
