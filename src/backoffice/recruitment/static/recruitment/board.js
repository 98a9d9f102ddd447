// Kanban board of a posting: native HTML5 drag and drop. Dropping a card on a
// column POSTs the move (or, on the rejected column, the rejection with a
// reason) to the board's own URL with the CSRF token; the server answers JSON.
(function () {
  "use strict";
  var board = document.getElementById("recruitment-board");
  if (!board) { return; }
  var tokenInput = board.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = tokenInput ? tokenInput.value : "";
  var dragged = null;

  function count(column, delta) {
    var el = column.querySelector(".board-count");
    if (!el) { return; }
    var n = parseInt(el.textContent.replace(/[^0-9]/g, ""), 10) || 0;
    el.textContent = "(" + Math.max(0, n + delta) + ")";
  }

  function post(data) {
    var body = new URLSearchParams();
    Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
    return fetch(window.location.pathname, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": csrf,
        "X-Requested-With": "XMLHttpRequest",
        "Content-Type": "application/x-www-form-urlencoded"
      },
      body: body.toString()
    }).then(function (r) {
      return r.json().then(function (d) { return {ok: r.ok, data: d}; });
    });
  }

  board.querySelectorAll(".board-card[draggable=true]").forEach(function (card) {
    card.addEventListener("dragstart", function (e) {
      dragged = card;
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", card.dataset.application);
      card.style.opacity = "0.5";
    });
    card.addEventListener("dragend", function () {
      card.style.opacity = "";
      dragged = null;
    });
  });

  board.querySelectorAll(".board-column[data-droppable='1']").forEach(function (column) {
    column.addEventListener("dragover", function (e) {
      if (!dragged) { return; }
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      column.style.outline = "2px dashed currentColor";
    });
    column.addEventListener("dragleave", function () { column.style.outline = ""; });
    column.addEventListener("drop", function (e) {
      e.preventDefault();
      column.style.outline = "";
      var card = dragged;
      if (!card) { return; }
      var from = card.closest(".board-column");
      if (from === column) { return; }
      var data = {application: card.dataset.application};
      if (column.dataset.kind === "rejected") {
        var reason = window.prompt(board.dataset.reasonPrompt || "");
        if (!reason || !reason.trim()) { return; }
        data.op = "reject";
        data.reason = reason.trim();
      } else {
        data.op = "move";
        data.stage = column.dataset.stage;
      }
      post(data).then(function (res) {
        if (!res.ok) {
          window.alert((res.data && res.data.error) || board.dataset.error);
          return;
        }
        var list = column.querySelector(".board-cards");
        var empty = list.querySelector(".board-empty");
        if (empty) { empty.remove(); }
        list.insertBefore(card, list.firstChild);
        count(from, -1);
        count(column, 1);
        var select = card.querySelector("select[name=stage]");
        if (select) { select.value = column.dataset.stage; }
        if (column.dataset.kind === "rejected") {
          card.removeAttribute("draggable");
          card.querySelectorAll("form, input[type=checkbox]").forEach(function (el) { el.remove(); });
        }
      }).catch(function () { window.alert(board.dataset.error); });
    });
  });
})();
