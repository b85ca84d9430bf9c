// Analyse a video: upload it, follow the progress, then open its report.
"use strict";
const $ = (id) => document.getElementById(id);
$("upload").onclick = async () => {
  const file = $("file").files[0];
  if (!file) { $("status").textContent = "Choose a video first."; return; }
  $("upload").disabled = true; $("bar").hidden = false; $("status").textContent = "Uploading " + file.name + "…";
  const r = await fetch("/api/analyse", { method: "POST", body: file,
    headers: { "X-Filename": file.name, "X-Last-Modified": String(file.lastModified) } });
  const { job } = await r.json();
  $("status").textContent = "Analysing " + file.name + "…";
  for (;;) {
    await new Promise((ok) => setTimeout(ok, 500));
    const s = await (await fetch("/api/jobs/" + job)).json();
    if (s.total) { $("bar").max = s.total; $("bar").value = s.done; }
    if (s.state === "done") {
      $("bar").value = $("bar").max;
      $("status").innerHTML = (s.holds.length ? s.holds.join("; ") : "No hold of a stretch was recognised") +
        `. <a id=report href="${s.report}">Its report</a>`;
      break;
    }
    if (s.state === "failed") { $("status").textContent = "Could not analyse it: " + s.error; break; }
  }
  $("upload").disabled = false;
};
