// Follows an AEF job: moves the progress bar, then reloads the page once to show the downloads.
(function () {
  "use strict";
  var job = document.getElementById("job");
  if (!job || job.dataset.finished === "true") { return; }
  var bar = document.getElementById("progress");
  var percent = document.getElementById("percent");
  var step = document.getElementById("step");
  function poll() {
    fetch(job.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (state) {
        if (!state) { window.setTimeout(poll, 3000); return; }
        bar.value = state.percent;
        bar.textContent = state.percent + " %";
        percent.textContent = state.percent + " %";
        step.textContent = state.step;
        if (state.done) { window.setTimeout(function () { window.location.reload(); }, 500); }
        else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
