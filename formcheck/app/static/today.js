// Today: the browser's camera -> formcheck (a WebSocket) -> the overlay drawn here.
// A frame is sent only when the previous one has been answered: the analysis sets the pace.
"use strict";
const $ = (id) => document.getElementById(id);
const video = $("camera"), view = $("view"), ctx = view.getContext("2d");
const grab = document.createElement("canvas");
let ws = null, stream = null, links = [], last = null, t0 = 0, paused = false;
const sentAt = new Map();
window.formcheckStats = { frames: 0, latencies: [], started: 0, states: 0 };

function say(text) {
  if (!$("voice").checked || !("speechSynthesis" in window)) return;
  speechSynthesis.cancel();
  speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

function sendFrame() {
  // the camera's next new picture, not the one just analysed again
  if ("requestVideoFrameCallback" in video) video.requestVideoFrameCallback(() => grabAndSend());
  else grabAndSend();
}

function grabAndSend() {
  if (!ws || ws.readyState !== WebSocket.OPEN || !video.videoWidth) return;
  const scale = Math.min(1, 640 / video.videoWidth);
  grab.width = Math.round(video.videoWidth * scale);
  grab.height = Math.round(video.videoHeight * scale);
  grab.getContext("2d").drawImage(video, 0, 0, grab.width, grab.height);
  const t = performance.now() / 1000 - t0;
  grab.toBlob(async (blob) => {
    const jpeg = new Uint8Array(await blob.arrayBuffer());
    const msg = new Uint8Array(8 + jpeg.length);
    new DataView(msg.buffer).setFloat64(0, t, true);
    msg.set(jpeg, 8);
    sentAt.set(Math.round(t * 1000), performance.now());
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(msg);
  }, "image/jpeg", 0.8);
}

function draw() {
  if (!stream) return;
  const w = view.width, h = view.height;
  ctx.save();
  ctx.translate(w, 0); ctx.scale(-1, 1);  // a camera facing you moves like a mirror
  ctx.drawImage(video, 0, 0, w, h);
  if (last && last.landmarks) {
    ctx.strokeStyle = "#50c83c"; ctx.lineWidth = Math.max(2, w / 320);
    for (const [a, b] of links) {
      const p = last.landmarks[a], q = last.landmarks[b];
      ctx.beginPath(); ctx.moveTo(p[0] * w, p[1] * h); ctx.lineTo(q[0] * w, q[1] * h); ctx.stroke();
    }
  }
  ctx.restore();
  requestAnimationFrame(draw);
}

function show(s) {
  last = s;
  const ring = $("ring");
  $("seconds").textContent = s.holding ? String(Math.floor(s.elapsed_s)) : "--";
  $("seconds").style.color = s.holding ? s.color : "#ccc";
  ring.style.borderColor = s.holding ? s.color : "#999";
  $("phase").textContent = s.phase;
  $("stretch").textContent = s.stretch_text;
  $("cue").textContent = s.paused ? "Paused" : s.guidance || s.cue || "";
  $("next").textContent = s.next_text;
  $("warning").textContent = s.warning;
}

function summary(s) {
  const box = $("summary");
  const list = (xs) => "<ul>" + xs.map((x) => `<li>${x.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</li>`).join("") + "</ul>";
  box.innerHTML = `<h2>Session ${s.partial ? "(stopped early) " : ""}kept</h2>` +
    (s.holds.length ? list(s.holds) : "<p>No hold of a stretch was recognised.</p>") +
    "<h3>Against your plan</h3>" + list(s.plan.concat(s.flexibility)) +
    `<p><a id=report href="${s.report}">The session's report</a> · <a href="/history">History</a></p>`;
  box.hidden = false;
}

function stopCamera() {
  if (stream) stream.getTracks().forEach((t) => t.stop());
  stream = null;
  $("stage").classList.remove("on");
  $("start").disabled = false; $("pause").disabled = true; $("stop").disabled = true;
}

$("start").onclick = async () => {
  $("summary").hidden = true;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
  } catch (e) {
    $("summary").innerHTML = `<p>The camera could not be opened (${e.name}). Allow this page to use it, or open the app on this computer.</p>`;
    $("summary").hidden = false;
    return;
  }
  video.srcObject = stream;
  await video.play();
  view.width = video.videoWidth; view.height = video.videoHeight;
  $("stage").classList.add("on");
  $("stage").scrollIntoView({ behavior: "smooth" });
  $("start").disabled = true; $("pause").disabled = false; $("stop").disabled = false;
  requestAnimationFrame(draw);
  ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/live");
  ws.onopen = () => {
    t0 = performance.now() / 1000;
    window.formcheckStats.started = performance.now();
    ws.send(JSON.stringify({ type: "start", width: grabWidth(), height: grabHeight(), voice: $("voice").checked }));
  };
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    if (m.type === "ready") { links = m.connections; sendFrame(); }
    else if (m.type === "state") {
      const key = Math.round(m.t_s * 1000);
      if (sentAt.has(key)) { window.formcheckStats.latencies.push(performance.now() - sentAt.get(key)); sentAt.delete(key); }
      window.formcheckStats.frames += 1;
      show(m);
      sendFrame();
    } else if (m.type === "say") say(m.text);
    else if (m.type === "summary") { summary(m); stopCamera(); }
    else if (m.type === "error") { $("summary").textContent = "The session stopped: " + m.error; $("summary").hidden = false; stopCamera(); }
  };
  ws.onclose = () => { if (stream) stopCamera(); };
};

function grabWidth() { return Math.round(video.videoWidth * Math.min(1, 640 / video.videoWidth)); }
function grabHeight() { return Math.round(video.videoHeight * Math.min(1, 640 / video.videoWidth)); }

$("pause").onclick = () => {
  paused = !paused;
  $("pause").textContent = paused ? "Go on" : "Pause";
  ws.send(JSON.stringify({ type: "pause", on: paused }));
};
$("stop").onclick = () => { ws.send(JSON.stringify({ type: "stop" })); $("stop").disabled = true; };
