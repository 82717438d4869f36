/*
 * Saves a section of the application as the person types.
 *
 * Progressive enhancement: the form marked data-autosave works with its
 * buttons alone; this script adds, where the browser allows it,
 *
 * - a save about 1.5 s after the last change, posted to the same address
 *   with the header X-Autosave: 1 (the view answers JSON);
 * - a copy of the values not yet saved in this browser's localStorage,
 *   keyed by the page's path and removed once a save succeeds, put back
 *   into the fields when the page is opened again (after the session ended
 *   or the network dropped);
 * - a last save when the page is hidden or left.
 *
 * Every text the person reads comes from data-msg-* attributes of the
 * status element, which the template translates.
 */
(function () {
  "use strict";

  var DELAY_MS = 1500;
  // A copy older than this is forgotten rather than put back.
  var MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
  // The token and the fingerprint of the saved answers the page was shown
  // with are not typing: they are neither kept nor compared.
  var SKIPPED = ["csrfmiddlewaretoken", "revision", "base"];

  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var statusBox = form.querySelector("[data-autosave-status]");
  // The fingerprint of the saved answers: sent with each save, so the server
  // refuses a save made over answers someone else saved in the meantime.
  var baseInput = form.querySelector("[data-revision]");
  var pendingSubmitter = null;
  var storageKey = "sckis-autosave:" + window.location.pathname;

  // Changes are counted: a save clears the copy only if nothing was typed
  // while it was on its way.
  var revision = 0;
  var savedRevision = 0;
  var sentRevision = 0;
  var inFlight = 0;
  var timer = null;
  var submitting = false;
  var discardButton = null;

  // Messages.

  function message(name, values) {
    var text = (statusBox && statusBox.getAttribute("data-msg-" + name)) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function show(text, link) {
    if (!statusBox) {
      return;
    }
    statusBox.textContent = text;
    if (link) {
      statusBox.appendChild(document.createTextNode(" "));
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      statusBox.appendChild(anchor);
    }
  }

  // The form's values.

  function values() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (SKIPPED.indexOf(name) === -1 && typeof value === "string") {
        pairs.push([name, value]);
      }
    });
    return pairs;
  }

  function fieldNames() {
    var names = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (
        element.name &&
        SKIPPED.indexOf(element.name) === -1 &&
        element.type !== "submit" &&
        element.type !== "button" &&
        names.indexOf(element.name) === -1
      ) {
        names.push(element.name);
      }
    });
    return names;
  }

  function sameValues(first, second) {
    return JSON.stringify(first) === JSON.stringify(second);
  }

  function putBack(stored) {
    var byName = {};
    stored.values.forEach(function (pair) {
      (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]);
    });
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || stored.names.indexOf(name) === -1) {
        return;
      }
      var given = byName[name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = given.indexOf(element.value) !== -1;
      } else if (element.type === "select-multiple") {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = given.indexOf(option.value) !== -1;
        });
      } else if (element.type !== "submit" && element.type !== "button") {
        var position = seen[name] || 0;
        seen[name] = position + 1;
        element.value = position < given.length ? given[position] : "";
      }
    });
  }

  // The copy in this browser.

  function readCopy() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(storageKey));
      if (
        stored &&
        Array.isArray(stored.values) &&
        Array.isArray(stored.names) &&
        Date.now() - (stored.at || 0) < MAX_AGE_MS
      ) {
        return stored;
      }
    } catch (error) {
      // No storage, or something unreadable in it.
    }
    forgetCopy();
    return null;
  }

  function keepCopy() {
    try {
      window.localStorage.setItem(
        storageKey,
        JSON.stringify({
          at: Date.now(),
          base: baseInput ? baseInput.value : "",
          names: fieldNames(),
          values: values(),
        })
      );
    } catch (error) {
      // Storage full or refused: the save to the server still runs.
    }
  }

  function forgetCopy() {
    try {
      window.localStorage.removeItem(storageKey);
    } catch (error) {
      // Nothing to forget.
    }
  }

  // Saving.

  function labelOf(name) {
    var found = form.elements.namedItem(name);
    var element = found && !found.nodeName ? found[0] : found;
    if (!element) {
      return "";
    }
    var text = "";
    var group = element.closest("fieldset");
    if (element.type === "radio" && group) {
      var legend = group.querySelector("legend");
      text = legend ? legend.textContent : "";
    } else if (element.labels && element.labels.length) {
      text = element.labels[0].textContent;
    }
    text = text.replace(/\*\s*$/, "").trim();
    var criterion = element.closest("fieldset.criterion");
    var criterionLegend = criterion && criterion.querySelector("legend");
    if (criterionLegend && criterionLegend.textContent.trim() !== text) {
      text = criterionLegend.textContent.trim() + ": " + text;
    }
    return text;
  }

  function showErrors(errors) {
    var lines = [];
    Object.keys(errors || {}).forEach(function (name) {
      var label = labelOf(name);
      errors[name].forEach(function (text) {
        lines.push(label ? label + ": " + text : text);
      });
    });
    show(message("invalid") + " " + lines.join(" "));
  }

  function answered(response, sent) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) {
      // A page, not an answer: the form's security token has expired,
      // for example after logging in again in another tab.
      show(message("failed"));
      return;
    }
    return response.json().then(function (answer) {
      if (response.ok && answer.saved) {
        if (baseInput && answer.revision) {
          baseInput.value = answer.revision;
        }
        savedRevision = Math.max(savedRevision, sent);
        if (savedRevision === revision) {
          forgetCopy();
        }
        show(
          message("saved", {
            time: answer.saved_at,
            status: answer.status_label,
          })
        );
      } else if (response.status === 400 && answer.errors) {
        showErrors(answer.errors);
      } else if (response.status === 401) {
        var login = statusBox && statusBox.getAttribute("data-login-url");
        show(
          answer.message || message("failed"),
          login ? { href: login, text: message("login") } : null
        );
      } else {
        show(answer.message || message("failed"));
      }
    });
  }

  function post(keepalive) {
    return fetch(window.location.pathname + window.location.search, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Autosave": "1", Accept: "application/json" },
      credentials: "same-origin",
      keepalive: keepalive,
    });
  }

  function save(options) {
    var leaving = Boolean(options && options.leaving);
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (revision === savedRevision || revision === sentRevision) {
      return;
    }
    if (inFlight > 0 && !leaving) {
      // Saved again once the save on its way is answered.
      timer = window.setTimeout(save, DELAY_MS);
      return;
    }
    var sent = revision;
    sentRevision = sent;
    inFlight += 1;
    if (!leaving) {
      show(message("saving"));
    }
    // keepalive lets the request outlive the page it was sent from; where
    // the page is only hidden, its answer is still shown. A body too large
    // for keepalive is sent as a usual request.
    post(leaving)
      .catch(function (error) {
        if (leaving) {
          return post(false);
        }
        throw error;
      })
      .then(function (response) {
        return answered(response, sent);
      })
      .catch(function () {
        show(message("offline"));
      })
      .then(function () {
        inFlight -= 1;
        if (sentRevision === sent && savedRevision < sent) {
          // Not saved: let the next change, or leaving, try again.
          sentRevision = savedRevision;
        }
        if (inFlight === 0 && pendingSubmitter) {
          // A button pressed while this save was on its way: send the form
          // now, with the fingerprint of what this save stored.
          var submitter = pendingSubmitter;
          pendingSubmitter = null;
          submitting = true;
          form.requestSubmit(submitter);
        }
      });
  }

  function changed() {
    revision += 1;
    keepCopy();
    if (discardButton) {
      discardButton.hidden = true;
    }
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(save, DELAY_MS);
  }

  // What was typed earlier in this browser and not saved.

  function offerToDiscard() {
    discardButton = document.createElement("button");
    discardButton.type = "button";
    discardButton.className = "btn btn-link p-0 mb-3";
    discardButton.textContent = message("discard");
    discardButton.addEventListener("click", function () {
      forgetCopy();
      window.location.reload();
    });
    statusBox.insertAdjacentElement("afterend", discardButton);
  }

  function restore() {
    var stored = readCopy();
    if (form.hasAttribute("data-autosave-unsaved")) {
      // The server shows values it has not saved (an error, or what was
      // posted after the login had expired): they are the latest typing.
      keepCopy();
      return;
    }
    if (!stored) {
      return;
    }
    if (sameValues(stored.values, values())) {
      // The server has every value of the copy.
      forgetCopy();
      return;
    }
    putBack(stored);
    if (baseInput && stored.base) {
      // Saved against the answers the copy was typed over: if someone has
      // saved the section since, the server shows both versions instead of
      // letting the copy silently undo their work.
      baseInput.value = stored.base;
    }
    show(message("restored"));
    if (statusBox) {
      offerToDiscard();
    }
  }

  restore();

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    if (inFlight > 0 && !submitting && form.requestSubmit) {
      // Wait for the automatic save on its way, or this save would be sent
      // with the fingerprint from before it and be refused.
      event.preventDefault();
      pendingSubmitter = event.submitter || null;
      return;
    }
    // The button saves; the copy stays until a page shows it was saved.
    submitting = true;
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !submitting) {
      save({ leaving: true });
    }
  });
  window.addEventListener("pagehide", function () {
    if (!submitting) {
      save({ leaving: true });
    }
  });
  window.addEventListener("pageshow", function (event) {
    // Back from the browser's cache after a button was pressed.
    if (event.persisted) {
      submitting = false;
    }
  });
})();
