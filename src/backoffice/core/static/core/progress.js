// Polls /account/jobs/<id>/progress/ and moves the job's progress bar.
document.querySelectorAll(".bo-progress[data-job]").forEach(function (bar) {
  var url = "/account/jobs/" + bar.dataset.job + "/progress/";
  function tick() {
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (d) {
      bar.querySelector(".bo-progress-bar").style.width = d.percent + "%";
      var label = bar.parentElement.querySelector(".bo-progress-label");
      if (label) { label.textContent = d.percent + "%"; }
      if (d.status === "queued" || d.status === "running") { setTimeout(tick, 1000); }
    });
  }
  tick();
});
