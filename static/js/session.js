// The idle-timeout warning (README, "Sessions"; talentstation/middleware.py).
//
// Shortly before the session ends for lack of activity, an alert dialog offers to keep using
// the portal (a POST to the keep-alive endpoint, which counts as activity). Asking how long the
// session has left (the status endpoint) does not count as activity, so an open tab does not
// keep a session alive by itself. Escape means "keep using". After the end the dialog says so;
// what was typed stays on the page and is kept by the server if it is sent.
(function () {
  "use strict";

  var dialog = document.getElementById("session-timeout");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var data = dialog.dataset;
  var warning = Number(data.warning) * 1000;
  var deadline = Date.now() + Number(data.remaining) * 1000;
  var renewable = data.renewable === "true";
  var token = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
  var countdowns = dialog.querySelectorAll("[data-countdown]");
  var timer = null;
  var ticker = null;
  var returnFocus = null;

  function later(delay, action) {
    clearTimeout(timer);
    timer = setTimeout(action, Math.max(0, delay));
  }

  function schedule() {
    later(deadline - warning - Date.now(), check);
  }

  function ask(url, options) {
    var init = {
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token },
    };
    return fetch(url, Object.assign(init, options || {})).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    });
  }

  function learn(state) {
    deadline = Date.now() + state.remaining * 1000;
    renewable = state.renewable;
  }

  function check() {
    ask(data.statusUrl)
      .then(function (state) {
        if (!state.authenticated) {
          show("ended");
          return;
        }
        learn(state);
        if (deadline - Date.now() > warning + 1000) {
          close(); // used in another tab meanwhile
          schedule();
        } else {
          show(renewable ? "warning" : "final");
        }
      })
      .catch(function () {
        later(15000, check);
      });
  }

  function stay() {
    ask(data.keepAliveUrl, { method: "POST" })
      .then(function (state) {
        if (!state.authenticated) {
          show("ended");
          return;
        }
        learn(state);
        close();
        schedule();
      })
      .catch(function () {
        later(15000, check);
      });
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var text = data.countdownFormat
      .replace("{minutes}", String(Math.floor(left / 60)))
      .replace("{seconds}", String(left % 60));
    countdowns.forEach(function (countdown) {
      countdown.textContent = text;
    });
    if (left <= 0) {
      clearInterval(ticker);
      later(1000, check);
    }
  }

  function show(state) {
    dialog.querySelectorAll("[data-state]").forEach(function (part) {
      part.hidden = part.dataset.state !== state;
    });
    dialog.dataset.current = state;
    dialog.setAttribute("aria-labelledby", "session-timeout-title-" + state);
    dialog.setAttribute("aria-describedby", "session-timeout-text-" + state);
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
    }
    dialog.querySelector("[data-state='" + state + "'] [data-primary]").focus();
    clearInterval(ticker);
    if (state !== "ended") {
      tick();
      ticker = setInterval(tick, 1000);
    } else {
      clearTimeout(timer);
    }
  }

  function close() {
    if (dialog.open) {
      dialog.close();
    }
  }

  dialog.addEventListener("close", function () {
    clearInterval(ticker);
    if (returnFocus && typeof returnFocus.focus === "function") {
      returnFocus.focus();
    }
    returnFocus = null;
  });
  dialog.addEventListener("cancel", function (event) {
    // Escape: stay logged in (or, once that is no longer possible, just close). The browser
    // may close the dialog itself if the page has had no user activation; stay() still runs.
    event.preventDefault();
    if (dialog.dataset.current === "warning") {
      stay();
    } else {
      close();
    }
  });
  dialog.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (!button) {
      return;
    }
    if (button.dataset.action === "stay") {
      stay();
    } else {
      close();
    }
  });

  schedule();
})();
