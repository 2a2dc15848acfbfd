/* The offline reception desk (issue 18).
 *
 * On a desk page (#desk-offline holds its settings): registers the service worker and keeps a copy
 * of the page's form for a reload with the network gone. The "new visitor" form is sent under an id
 * the device makes (crypto.randomUUID); with no network, or when that request fails, the visitor is
 * kept on this device in IndexedDB under the same id, sealed with AES-GCM under the key of the
 * signed-in session (the server keeps it in the session and gives it to this page: it is never
 * written to IndexedDB), listed as "waiting to send" under a provisional reference, and sent when
 * the network returns (the `online` event, each page load and a timer). The server stores an entry
 * once, by its id, and answers with the visitor and the appeal's number, due date and receipt.
 * An entry it does not accept stays, marked, until the specialist sends it again, edits or
 * discards it.
 *
 * On every page: signing out erases the entries and the kept copies, after asking when some were
 * never sent.
 */
(function () {
  "use strict";

  var DB_NAME = "kelisim-desk";
  var STORE = "entries";
  var CACHE = "kelisim-desk-v1";
  var RETRY_MS = 30000;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "client_id" });
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () {
          db.close();
          resolve(result && "result" in result ? result.result : result);
        };
        tx.onerror = tx.onabort = function () {
          db.close();
          reject(tx.error);
        };
      });
    });
  }

  function allEntries() {
    return withStore("readonly", function (store) {
      return store.getAll();
    });
  }

  function putEntry(entry) {
    return withStore("readwrite", function (store) {
      store.put(entry);
    });
  }

  function removeEntry(id) {
    return withStore("readwrite", function (store) {
      store["delete"](id);
    });
  }

  function pending(entries) {
    return entries.filter(function (e) {
      return e.status !== "sent";
    });
  }

  function wipe() {
    var gone = new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = function () {
        resolve();
      };
    });
    var cleared = window.caches ? caches["delete"](CACHE) : Promise.resolve();
    return Promise.all([gone, cleared]);
  }

  // Signing out, on every page ------------------------------------------------------------------

  var beforeLogout = null; // the desk sends its queue first
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-logout]") || form.dataset.wiped) return;
    event.preventDefault();
    var words = document.getElementById("logout-words");
    var question = words ? JSON.parse(words.textContent) : "";
    (beforeLogout ? beforeLogout() : Promise.resolve())
      .then(allEntries, allEntries)
      .then(
        function (entries) {
          return pending(entries).length === 0 || window.confirm(question);
        },
        function () {
          return true; // no store to erase
        }
      )
      .then(function (go) {
        if (!go) return;
        return wipe().then(function () {
          form.dataset.wiped = "1";
          form.submit();
        });
      });
  });

  // The desk ------------------------------------------------------------------------------------

  var settingsNode = document.getElementById("desk-offline");
  if (!settingsNode || !window.indexedDB || !window.crypto || !crypto.subtle) return;
  var settings = JSON.parse(settingsNode.textContent);
  var words = settings.strings;
  var form = document.getElementById("visitor-form");
  var panel = document.getElementById("offline-queue");
  var list = panel.querySelector("[data-list]");
  var statusLine = panel.querySelector("[data-status]");
  var keyId = settings.key.id;
  // Whose entries these are: a tablet shared by two specialists keeps each one's entries to them.
  var userTag = settings.user;
  var clearSent = panel.querySelector("[data-clear-sent]");
  clearSent.addEventListener("click", function () {
    allEntries()
      .then(function (entries) {
        return Promise.all(
          entries
            .filter(function (e) {
              return e.status === "sent";
            })
            .map(function (e) {
              return removeEntry(e.client_id);
            })
        );
      })
      .then(render);
  });
  var sealing = null;
  var syncing = false;

  function bytes(text) {
    return new TextEncoder().encode(text);
  }

  function importKey(encoded) {
    return crypto.subtle.importKey(
      "raw",
      Uint8Array.from(atob(encoded), function (c) {
        return c.charCodeAt(0);
      }),
      "AES-GCM",
      false,
      ["encrypt", "decrypt"]
    );
  }

  var key = importKey(settings.key.key);

  function seal(id, fields) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    return key
      .then(function (k) {
        return crypto.subtle.encrypt(
          { name: "AES-GCM", iv: iv, additionalData: bytes(id) },
          k,
          bytes(JSON.stringify(fields))
        );
      })
      .then(function (data) {
        return { iv: iv, data: data };
      });
  }

  function open(entry) {
    if (entry.key_id !== keyId || !entry.data) return Promise.resolve(null);
    return key
      .then(function (k) {
        return crypto.subtle.decrypt(
          { name: "AES-GCM", iv: entry.iv, additionalData: bytes(entry.client_id) },
          k,
          entry.data
        );
      })
      .then(
        function (plain) {
          return JSON.parse(new TextDecoder().decode(plain));
        },
        function () {
          return null;
        }
      );
  }

  function reference(entry) {
    return "P-" + entry.client_id.slice(0, 8).toUpperCase();
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function button(label, action, secondary) {
    var b = el("button", secondary ? "secondary" : "", label);
    b.type = "button";
    b.addEventListener("click", action);
    return b;
  }

  // A receipt the resident takes away before the entry reaches the server: the provisional
  // reference stands for the number, which the reissued receipt gives once the entry is sent.
  function provisionalReceipt(entry, fields) {
    var old = document.querySelector(".offline-receipt-sheet");
    if (old) old.remove();
    var sheet = el("section", "offline-receipt-sheet");
    sheet.setAttribute("role", "dialog");
    sheet.setAttribute("aria-label", words.provisional_receipt);
    sheet.appendChild(el("h2", "", words.provisional_receipt));
    var heading = document.querySelector("main h1");
    var rows = [
      [words.provisional, reference(entry)],
      [words.written_at, new Date(entry.made_at).toLocaleString(document.documentElement.lang || undefined)],
      [words.reception, heading ? heading.textContent.trim() : ""],
      [words.question, fields.question || ""],
    ];
    var dl = el("dl");
    rows.forEach(function (row) {
      dl.appendChild(el("dt", "", row[0]));
      dl.appendChild(el("dd", "", row[1]));
    });
    sheet.appendChild(dl);
    sheet.appendChild(el("p", "hint", words.provisional_note));
    var actions = el("p", "actions no-print");
    actions.appendChild(
      button(words.print, function () {
        document.body.classList.add("printing-receipt");
        window.print();
        document.body.classList.remove("printing-receipt");
      })
    );
    actions.appendChild(
      button(
        words.close,
        function () {
          sheet.remove();
        },
        true
      )
    );
    sheet.appendChild(actions);
    document.body.appendChild(sheet);
    sheet.scrollIntoView();
  }

  function item(entry, fields) {
    var li = el("li", "event offline-entry offline-entry--" + entry.status);
    li.dataset.clientId = entry.client_id;
    var title = el("strong", "", fields ? (fields.declined_name ? words.declined : fields.name || "—") : "—");
    li.appendChild(title);
    if (fields && fields.question) li.appendChild(el("div", "", fields.question));
    var state = el("div", "muted offline-state");
    if (entry.status === "sent") {
      var result = entry.result || {};
      if (result.appeal) {
        state.appendChild(
          document.createTextNode(
            reference(entry) +
              " → " +
              words.appeal.replace("%(number)s", result.appeal.number).replace("%(due)s", result.appeal.due) +
              " · "
          )
        );
        var receipt = el("a", "offline-receipt", words.receipt);
        receipt.href = result.appeal.receipt_url;
        state.appendChild(receipt);
      } else {
        state.textContent = reference(entry) + " → " + words.sent + " · " + (result.outcome || words.visitor);
      }
    } else {
      state.textContent =
        (entry.status === "conflict" ? words.conflict : words.waiting) +
        " · " +
        words.provisional +
        ": " +
        reference(entry);
    }
    li.appendChild(state);
    if (entry.status === "conflict" && entry.errors && entry.errors.length) {
      var errors = el("ul", "errorlist");
      entry.errors.forEach(function (message) {
        errors.appendChild(el("li", "", message));
      });
      li.appendChild(errors);
    }
    if (entry.status !== "sent" && !fields) {
      li.appendChild(el("p", "hint", entry.user === userTag ? words.unreadable : words.other_user));
    }
    if (entry.status === "waiting" && fields) {
      li.appendChild(
        button(
          words.provisional_receipt,
          function () {
            provisionalReceipt(entry, fields);
          },
          true
        )
      );
    }
    if (entry.status === "conflict" && fields) {
      li.appendChild(
        button(words.resend, function () {
          entry.status = "waiting";
          entry.errors = [];
          putEntry(entry).then(sync);
        })
      );
      li.appendChild(
        button(
          words.edit,
          function () {
            edit(entry, fields);
          },
          true
        )
      );
    }
    if (entry.status !== "sent") {
      li.appendChild(
        button(
          words.discard,
          function () {
            if (window.confirm(words.discard_confirm)) removeEntry(entry.client_id).then(render);
          },
          true
        )
      );
    }
    return li;
  }

  function render() {
    return allEntries().then(function (entries) {
      entries.sort(function (a, b) {
        return a.made_at < b.made_at ? -1 : 1;
      });
      return Promise.all(entries.map(open)).then(function (opened) {
        list.textContent = "";
        entries.forEach(function (entry, i) {
          list.appendChild(item(entry, opened[i]));
        });
        var count = pending(entries).length;
        panel.querySelector("[data-count]").textContent = String(count);
        panel.hidden = entries.length === 0;
        panel.dataset.pending = String(count);
        clearSent.hidden = count === entries.length;
        statusLine.textContent = navigator.onLine ? "" : words.offline;
      });
    });
  }

  function shown() {
    // The fields the chosen outcome uses (app.js listens for the change).
    var control = form.querySelector("[data-controls]");
    if (control) control.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fieldsOf(formNode) {
    var fields = {};
    new FormData(formNode).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "client_id" && typeof value === "string") {
        fields[name] = value;
      }
    });
    return fields;
  }

  function edit(entry, fields) {
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || input.name === "csrfmiddlewaretoken") return;
      if (input.type === "checkbox") input.checked = fields[input.name] === input.value;
      else if (input.name in fields) input.value = fields[input.name];
    });
    form.dataset.editing = entry.client_id;
    shown();
    form.scrollIntoView();
  }

  function keep(fields, given) {
    var id = form.dataset.editing || given || crypto.randomUUID();
    delete form.dataset.editing;
    return allEntries().then(function (entries) {
      var earlier = entries.filter(function (e) {
        return e.client_id === id;
      })[0];
      return seal(id, fields).then(function (sealed) {
        return putEntry({
          client_id: id,
          session: earlier ? earlier.session : settings.session,
          made_at: earlier ? earlier.made_at : new Date().toISOString(),
          key_id: keyId,
          user: userTag,
          iv: sealed.iv,
          data: sealed.data,
          status: "waiting",
          errors: [],
        });
      });
    });
  }

  function sync() {
    if (syncing || !navigator.onLine) return Promise.resolve();
    syncing = true;
    return allEntries()
      .then(function (entries) {
        var waiting = entries.filter(function (e) {
          return e.status === "waiting" && e.key_id === keyId;
        });
        return Promise.all(waiting.map(open)).then(function (opened) {
          var batch = [];
          waiting.forEach(function (entry, i) {
            if (opened[i]) {
              batch.push({
                client_id: entry.client_id,
                session: entry.session,
                made_at: entry.made_at,
                fields: opened[i],
              });
            }
          });
          if (!batch.length) return;
          statusLine.textContent = words.sending;
          return send(batch, waiting);
        });
      })
      .catch(function () {
        // The network failed again: the entries wait for the next try.
      })
      .then(function () {
        syncing = false;
        return render();
      });
  }

  function send(batch, waiting) {
    return fetch(settings.sync_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ entries: batch }),
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("application/json") !== 0) {
        statusLine.textContent = words.signed_out;
        throw new Error("signed out");
      }
      if (!response.ok) throw new Error("refused");
      return response.json().then(function (answer) {
        var byId = {};
        waiting.forEach(function (e) {
          byId[e.client_id] = e;
        });
        return Promise.all(
          answer.results.map(function (result) {
            var entry = byId[result.client_id];
            if (!entry) return null;
            if (result.status === "accepted") {
              // Kept, still sealed, to show whose receipt it is, until cleared or signing out.
              entry.status = "sent";
              entry.errors = [];
              entry.result = result;
              return putEntry(entry);
            }
            entry.status = "conflict";
            entry.errors = result.errors;
            return putEntry(entry);
          })
        );
      });
    });
  }

  function queue(fields, id) {
    if (sealing) return;
    sealing = keep(fields, id)
      .then(function () {
        form.reset();
        shown();
        statusLine.textContent = words.queued;
        return render();
      })
      .then(function () {
        sealing = null;
        return sync();
      });
  }

  function native(id) {
    // Not stored: the page answers as without this script (its form errors, or an error page).
    var input = form.querySelector("input[name=client_id]") || el("input");
    input.type = "hidden";
    input.name = "client_id";
    input.value = id;
    form.appendChild(input);
    form.dataset.native = "1";
    form.submit();
  }

  form.addEventListener("submit", function (event) {
    if (form.dataset.native) return;
    event.preventDefault();
    if (sealing) return;
    var fields = fieldsOf(form);
    if (!navigator.onLine || form.dataset.editing) {
      queue(fields);
      return;
    }
    // Online: sent at once, under an id; should the request fail, the entry joins the queue under
    // the same id, so an answer lost on the way never makes the visitor twice.
    var id = crypto.randomUUID();
    var body = new FormData(form);
    body.set("client_id", id);
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
    }).then(
      function (response) {
        if (response.type === "opaqueredirect") window.location.assign(settings.desk_url);
        else native(id);
      },
      function () {
        queue(fields, id);
      }
    );
  });

  beforeLogout = sync;
  window.addEventListener("online", sync);
  window.addEventListener("offline", render);
  window.setInterval(sync, RETRY_MS);

  function keepCopy() {
    if (!window.caches) return Promise.resolve();
    var assets = [];
    document.querySelectorAll("script[src], link[rel=stylesheet][href]").forEach(function (node) {
      var url = node.getAttribute("src") || node.getAttribute("href");
      if (url && url.indexOf("/") === 0) assets.push(url);
    });
    var copy = settings.desk_url + "?shell=1";
    return caches.open(CACHE).then(function (cache) {
      return Promise.all([
        cache.addAll(assets),
        fetch(copy, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) return cache.put(copy, response);
        }),
      ]);
    });
  }

  // The session ended while the network was gone (30 minutes without a request): the entries were
  // sealed under its key, which the kept copy of the desk still holds. Before the copy is replaced,
  // they are opened with it and sealed again under this session's key, so nothing written is lost.
  function earlierKeys() {
    if (!window.caches) return Promise.resolve({});
    return caches.open(CACHE).then(function (cache) {
      return cache.keys().then(function (requests) {
        var copies = requests.filter(function (r) {
          return r.url.indexOf("?shell=1") !== -1;
        });
        return Promise.all(
          copies.map(function (r) {
            return cache.match(r).then(function (response) {
              return response ? response.text() : "";
            });
          })
        ).then(function (pages) {
          var found = {};
          pages.forEach(function (page) {
            var node = new DOMParser().parseFromString(page, "text/html").getElementById("desk-offline");
            try {
              var copy = JSON.parse(node.textContent);
              var earlier = copy.key;
              if (earlier.id !== keyId && copy.user === userTag) found[earlier.id] = earlier.key;
            } catch (error) {
              // not a desk's copy
            }
          });
          return found;
        });
      });
    });
  }

  function othersWaiting() {
    return allEntries().then(function (entries) {
      return entries.filter(function (e) {
        return e.user !== userTag && e.status !== "sent";
      }).length;
    });
  }

  function reseal() {
    return Promise.all([allEntries(), earlierKeys()]).then(function (both) {
      var keys = both[1];
      return Promise.all(
        both[0]
          .filter(function (e) {
            return e.key_id !== keyId && e.user === userTag && e.data && keys[e.key_id];
          })
          .map(function (entry) {
            return importKey(keys[entry.key_id])
              .then(function (earlier) {
                return crypto.subtle.decrypt(
                  { name: "AES-GCM", iv: entry.iv, additionalData: bytes(entry.client_id) },
                  earlier,
                  entry.data
                );
              })
              .then(function (plain) {
                return seal(entry.client_id, JSON.parse(new TextDecoder().decode(plain)));
              })
              .then(function (sealed) {
                entry.iv = sealed.iv;
                entry.data = sealed.data;
                entry.key_id = keyId;
                return putEntry(entry);
              })
              .then(null, function () {
                // left as it was: listed as unreadable, never dropped
              });
          })
      );
    });
  }

  var started = reseal().then(null, function () {});
  var ready = started;
  if (navigator.serviceWorker && navigator.onLine) {
    ready = started
      .then(function () {
        return navigator.serviceWorker.register(settings.worker_url, { scope: "/" });
      })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(othersWaiting)
      .then(function (others) {
        // Another specialist's unsent entries wait for them: the kept copy holds the only key that
        // opens them, so it is not replaced until they are sent.
        if (!others) return keepCopy();
      });
  }
  ready
    .then(null, function () {})
    .then(function () {
      document.documentElement.dataset.offlineReady = "1";
    });
  started.then(render).then(sync);
})();
