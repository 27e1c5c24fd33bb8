/* The airport page (templates/logistics/airport_run.html): the buttons mark a seat through fetch (JSON) instead of
   reloading the page, and the counts and states are polled every 10 seconds so two phones on one run agree.
   Without JavaScript the buttons post their form. The forms that move a person or record a delay always post. */
(function () {
  "use strict";
  var root = document.querySelector(".airport-run");
  if (!root) { return; }
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var labels = {};
  var template = document.getElementById("airport-state-labels");
  template.content.querySelectorAll("[data-label]").forEach(function (node) {
    labels[node.dataset.label] = node.textContent;
  });

  function show(data) {
    Object.keys(data.counts).forEach(function (state) {
      var node = root.querySelector("[data-count=" + state + "]");
      if (node) { node.textContent = data.counts[state]; }
    });
    Object.keys(data.seats || {}).forEach(function (seat) {
      var item = root.querySelector("[data-seat='" + seat + "']");
      if (!item) { return; }
      item.dataset.state = data.seats[seat];
      item.querySelector("[data-state-label]").textContent = labels[data.seats[seat]] || data.seats[seat];
    });
  }

  function poll() {
    fetch(root.dataset.countsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { show(data); } })
      .catch(function () {});
  }

  root.querySelectorAll(".airport-seats form.seat-mark").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button) { return; }
      event.preventDefault();
      var seat = form.querySelector("input[name=seat]").value;
      fetch(root.dataset.postUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
        body: JSON.stringify({ seat: seat, state: button.value })
      }).then(function (response) { return response.json(); }).then(function (data) {
        if (data.error) { return; }
        var seats = {};
        seats[data.seat] = data.state;
        show({ counts: data.counts, seats: seats });
      }).catch(function () { form.submit(); });
    });
  });
  window.setInterval(poll, 10000);
}());
