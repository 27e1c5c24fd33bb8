// The organizers' follow-up questions: shown only while the answer they depend on has the value that asks them
// (the server checks the same rule; without JavaScript every question shows with its condition in its help).
(function () {
  "use strict";
  function selected(form, name) {
    return Array.from(form.querySelectorAll('[name="' + name + '"]'))
      .filter(function (input) { return (input.type !== "radio" && input.type !== "checkbox") || input.checked; })
      .map(function (input) { return input.value; });
  }
  function update(form) {
    form.querySelectorAll(".field").forEach(function (field) {
      var dependent = field.querySelector("[data-depends-on]");
      if (!dependent) { return; }
      var wanted = dependent.getAttribute("data-depends-value").split(" ");
      var shown = selected(form, dependent.getAttribute("data-depends-on")).some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      field.hidden = !shown;
      // A hidden question's answer is not sent (the server would refuse it: its condition is not met).
      field.querySelectorAll("input, select, textarea").forEach(function (input) {
        if (!shown && !input.disabled) {
          input.disabled = true;
          input.setAttribute("data-hidden-by-condition", "");
        } else if (shown && input.hasAttribute("data-hidden-by-condition")) {
          input.disabled = false;  // never one the server locked (an approved participant's answers)
          input.removeAttribute("data-hidden-by-condition");
        }
      });
    });
  }
  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-depends-on]")) { return; }
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
