// The survey form as the respondent types: the server (the same checker that stores the response)
// says which questions and groups are relevant, which choices a filter leaves, which answers break a
// constraint, the labels that show other answers, and how many times a repeat is asked. Without this
// script the form still works: everything is checked when it is sent.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live]");
  if (!form || !window.fetch || !window.FormData) return;
  var timer = null;
  var sequence = 0;
  var touched = {};  // questions the respondent has been to: their required message may show

  function byKey(key) {
    return form.querySelector('[data-key="' + CSS.escape(key) + '"]');
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }

  function refresh() {
    var data = new FormData(form);
    var files = [];
    data.forEach(function (value, key) {
      if (typeof value !== "string") files.push(key);
    });
    files.forEach(function (key) { data.delete(key); });
    data.set("_live", "1");
    data.set("_touched", Object.keys(touched).join(" "));
    var mine = ++sequence;
    fetch(form.dataset.live, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state && mine === sequence) apply(state); })
      .catch(function () { /* offline: the server checks everything when the form is sent */ });
  }

  function apply(state) {
    Object.keys(state.counts || {}).forEach(function (key) { resize(key, state.counts[key]); });
    Object.keys(state.relevant || {}).forEach(function (key) {
      var element = byKey(key);
      if (element) element.hidden = !state.relevant[key];
    });
    form.querySelectorAll("[data-error][data-live]").forEach(function (message) {
      message.textContent = "";
      message.hidden = true;
      message.closest("[data-key]").classList.remove("has-error");
    });
    Object.keys(state.errors || {}).forEach(function (key) {
      var element = byKey(key);
      var message = element && element.querySelector("[data-error]");
      if (!message) return;
      message.textContent = state.errors[key];
      message.hidden = false;
      message.dataset.live = "1";
      element.classList.add("has-error");
    });
    Object.keys(state.choices || {}).forEach(function (key) { rebuild(key, state.choices[key]); });
    Object.keys(state.labels || {}).forEach(function (key) {
      var element = byKey(key);
      var label = element && element.querySelector("[data-label]");
      if (label) label.textContent = state.labels[key];
    });
  }

  // A choice list after its filter: keep what is still allowed and chosen.
  function rebuild(key, choices) {
    var element = byKey(key);
    var list = element && element.querySelector("[data-choices]");
    if (!list) return;
    var type = list.dataset.type;
    var chosen = {};
    list.querySelectorAll("input:checked, option:checked").forEach(function (input) { chosen[input.value] = true; });
    var same = list.querySelectorAll(type === "select" ? "option[value]:not([value=''])" : "input").length === choices.length;
    if (same) {
      var values = Array.prototype.map.call(
        list.querySelectorAll(type === "select" ? "option[value]:not([value=''])" : "input"),
        function (input) { return input.value; });
      if (values.join("\u0000") === choices.map(function (c) { return c[0]; }).join("\u0000")) return;
    }
    if (type === "select") {
      var keepEmpty = !list.multiple;
      list.innerHTML = "";
      if (keepEmpty) list.appendChild(new Option("—", ""));
      choices.forEach(function (choice) {
        list.appendChild(new Option(choice[1], choice[0], false, !!chosen[choice[0]]));
      });
    } else {
      list.innerHTML = "";
      choices.forEach(function (choice) {
        var label = document.createElement("label");
        label.className = "choice";
        var input = document.createElement("input");
        input.type = type;
        input.name = list.dataset.name;
        input.value = choice[0];
        input.checked = !!chosen[choice[0]];
        var text = document.createElement("span");
        text.textContent = choice[1];
        label.appendChild(input);
        label.appendChild(document.createTextNode(" "));
        label.appendChild(text);
        list.appendChild(label);
      });
    }
  }

  function instances(section) {
    return Array.prototype.filter.call(section.children, function (child) {
      return child.classList && child.classList.contains("repeat-instance");
    });
  }

  function add(section) {
    var template = section.querySelector("template[data-blank]");
    var number = instances(section).length + 1;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.split("__N__").join(String(number));
    var instance = holder.firstElementChild;
    section.insertBefore(instance, template);
    return instance;
  }

  function resize(key, count) {
    var section = form.querySelector('[data-repeat="' + CSS.escape(key) + '"]');
    if (!section) return;
    var have = instances(section);
    while (have.length < count) { have.push(add(section)); }
    while (have.length > count) { have.pop().remove(); }
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var section = button.closest("[data-repeat]");
    if (button.hasAttribute("data-add") && section) {
      event.preventDefault();
      var instance = add(section);
      var first = instance.querySelector("input, select, textarea");
      if (first) first.focus();
      schedule();
    } else if (button.hasAttribute("data-remove") && section) {
      event.preventDefault();
      var last = instances(section).pop();
      if (last) last.remove();
      schedule();
    } else if (button.hasAttribute("data-geo") && navigator.geolocation) {
      event.preventDefault();
      var input = button.parentNode.querySelector("input");
      navigator.geolocation.getCurrentPosition(function (position) {
        var c = position.coords;
        input.value = [c.latitude, c.longitude, c.altitude || 0, c.accuracy || 0].join(" ");
        schedule();
      });
    }
  });
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("focusout", function (event) {
    var question = event.target.closest && event.target.closest("[data-widget]");
    if (question && !touched[question.dataset.key]) {
      touched[question.dataset.key] = true;
      schedule();
    }
  });
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  refresh();
})();
