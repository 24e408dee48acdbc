// The model server's page: draw, upload or type; the server's JSON API predicts.
// Drawn digits are framed as MNIST's were (the strokes' box scaled to 20 of 28 pixels,
// centred by their centre of mass); the preview shows exactly the pixels that are sent.
// A model with several inputs takes no drawing or text: the page says so, and how to call
// the JSON API instead.
"use strict";

const TEXTS = {
  en: { title: "dlpath model server", loading: "Waiting for the model…",
        key: "API key (if the server needs one)", draw: "Draw a digit",
        sees: "What the model sees", predict: "Predict", clear: "Clear",
        upload: "Upload an image", review: "Write a review", result: "Prediction",
        placeholder: "A film I will remember: the acting is superb…",
        ready: "Ready: model", needKey: "This server needs an API key: enter it above.",
        failed: "Request failed", other: "中文", several: "Several inputs",
        severalText: (count, names, path) => `This model has ${count} inputs (${names}): ` +
          `a drawing or a text fills only one. Send all of them to POST ${path}, ` +
          "one object per instance keyed by input name, for example:" },
  zh: { title: "dlpath 模型服务", loading: "正在等待模型加载…",
        key: "API 密钥（服务器需要时填写）", draw: "手写一个数字",
        sees: "模型看到的输入", predict: "预测", clear: "清除",
        upload: "上传图片", review: "写一段影评", result: "预测结果",
        placeholder: "一部让我难忘的电影：表演非常出色……",
        ready: "已就绪：模型", needKey: "服务器需要 API 密钥：请在上方填写。",
        failed: "请求失败", other: "English", several: "多个输入",
        severalText: (count, names, path) => `该模型有 ${count} 个输入（${names}）：` +
          `手写数字或文本只能填充其中一个。请把它们一起发送到 POST ${path}，` +
          "每个样本一个以输入名为键的对象，例如：" },
};
const state = { lang: navigator.language.startsWith("zh") ? "zh" : "en", meta: null,
                drawing: false, dirty: false };
const $ = (id) => document.getElementById(id);

function t(key) { return TEXTS[state.lang][key]; }

function translate() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.dataset.i18n);
  }
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  $("language").textContent = t("other");
  if (state.meta) { say(`${t("ready")} ${state.meta.name}`); }
  if (state.meta && severalInputs()) { explainSeveralInputs(); }
}

function say(text, error = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
}

function headers(extra = {}) {
  const key = $("api-key").value.trim();
  return key ? { ...extra, Authorization: `Bearer ${key}` } : extra;
}

async function call(path, options = {}) {
  const response = await fetch(path, { ...options, headers: headers(options.headers) });
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (response.status === 401) { throw new Error(t("needKey")); }
  if (!response.ok) { throw new Error(`${t("failed")} (${response.status}): ${body.error}`); }
  return body;
}

// ------------------------------------------------------------------ start
async function start() {
  $("language").addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    translate();
  });
  translate();
  let ready = null;
  while (ready === null) {
    const response = await fetch("/readyz").catch(() => null);
    if (response && response.ok) { ready = await response.json(); } else { await sleep(500); }
  }
  await loadMetadata(ready.model);
  $("api-key").addEventListener("change", () => loadMetadata(ready.model));
}

async function loadMetadata(name) {
  try {
    state.meta = await call(`/v1/models/${encodeURIComponent(name)}/metadata`);
  } catch (error) {
    say(error.message, true);
    return;
  }
  $("model-name").textContent = state.meta.name;
  if (severalInputs()) {
    $("several-panel").hidden = false;
    $("result-panel").hidden = true;
    explainSeveralInputs();
  } else if (state.meta.kind === "image") {
    setUpImage(state.meta.image);
  } else if (state.meta.kind === "text") {
    $("text-panel").hidden = false;
  }
  say(`${t("ready")} ${state.meta.name}`);
  document.documentElement.dataset.ready = "true";
}

function severalInputs() { return (state.meta.inputs || []).length > 1; }

// The message and an example body for POST /v1/models/{name}:predict, in the page's language.
function explainSeveralInputs() {
  const inputs = state.meta.inputs;
  const names = inputs.map((input) => input.name).join(", ");
  const path = `/v1/models/${encodeURIComponent(state.meta.name)}:predict`;
  $("several-text").textContent = t("severalText")(inputs.length, names, path);
  const instance = Object.fromEntries(inputs.map((input) => [input.name, "…"]));
  $("several-example").textContent = JSON.stringify({ instances: [instance] });
}

function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

// ------------------------------------------------------------------ drawing
function setUpImage(image) {
  $("image-panel").hidden = false;
  const preview = $("preview");
  preview.width = image.width;
  preview.height = image.height;
  $("preview-size").textContent = `${image.width}×${image.height}×${image.channels}`;
  const pad = $("pad");
  clear();
  pad.addEventListener("pointerdown", (event) => {
    state.drawing = true;
    pad.setPointerCapture(event.pointerId);
    const context = pad.getContext("2d");
    context.beginPath();
    const [x, y] = point(event);
    context.moveTo(x, y);
    stroke(x, y);
  });
  pad.addEventListener("pointermove", (event) => {
    if (state.drawing) { stroke(...point(event)); }
  });
  const end = () => {
    if (!state.drawing) { return; }
    state.drawing = false;
    renderPreview();
  };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  $("predict").addEventListener("click", () => predictDrawing());
  $("clear").addEventListener("click", clear);
  $("file").addEventListener("change", () => uploadFile());
}

function point(event) {
  const box = $("pad").getBoundingClientRect();
  return [(event.clientX - box.left) * ($("pad").width / box.width),
          (event.clientY - box.top) * ($("pad").height / box.height)];
}

function stroke(x, y) {
  const context = $("pad").getContext("2d");
  context.lineWidth = 22;
  context.lineCap = "round";
  context.lineJoin = "round";
  context.strokeStyle = "#fff";
  context.lineTo(x, y);
  context.stroke();
  state.dirty = true;
}

function clear() {
  for (const canvas of [$("pad"), $("preview")]) {
    const context = canvas.getContext("2d");
    context.fillStyle = "#000";
    context.fillRect(0, 0, canvas.width, canvas.height);
  }
  state.dirty = false;
  $("bars").replaceChildren();
  $("top-class").textContent = "–";
}

// The pad's strokes as the model's input: for grey images MNIST's framing, else a resize.
function renderPreview() {
  const pad = $("pad"), preview = $("preview");
  const width = preview.width, height = preview.height;
  const frame = document.createElement("canvas");
  frame.width = width;
  frame.height = height;
  const context = frame.getContext("2d");
  context.fillStyle = "#000";
  context.fillRect(0, 0, width, height);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  const box = inkBox(pad);
  if (box && state.meta.image.channels === 1) {
    const scale = (0.71 * Math.min(width, height)) / Math.max(box.w, box.h);
    const w = box.w * scale, h = box.h * scale;
    context.drawImage(pad, box.x, box.y, box.w, box.h, (width - w) / 2, (height - h) / 2, w, h);
  } else {
    context.drawImage(pad, 0, 0, width, height);
  }
  const [dx, dy] = massShift(context, width, height);
  const out = preview.getContext("2d");
  out.fillStyle = "#000";
  out.fillRect(0, 0, width, height);
  out.drawImage(frame, dx, dy);
}

function inkBox(canvas) {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let x0 = canvas.width, y0 = canvas.height, x1 = -1, y1 = -1;
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      if (data[4 * (y * canvas.width + x)] > 0) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

function massShift(context, width, height) {
  const data = context.getImageData(0, 0, width, height).data;
  let total = 0, sx = 0, sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[4 * (y * width + x)];
      total += v; sx += v * (x + 0.5); sy += v * (y + 0.5);
    }
  }
  return total === 0 ? [0, 0] : [Math.round(width / 2 - sx / total),
                                 Math.round(height / 2 - sy / total)];
}

// The preview's pixels, 0..255: (H, W) for grey, (H, W, 3) for colour.
function previewPixels() {
  const preview = $("preview");
  const data = preview.getContext("2d").getImageData(0, 0, preview.width, preview.height).data;
  const grey = state.meta.image.channels === 1;
  const rows = [];
  for (let y = 0; y < preview.height; y++) {
    const row = [];
    for (let x = 0; x < preview.width; x++) {
      const i = 4 * (y * preview.width + x);
      row.push(grey ? data[i] : [data[i], data[i + 1], data[i + 2]]);
    }
    rows.push(row);
  }
  return rows;
}

function drawPixels(pixels) {
  const preview = $("preview");
  const image = preview.getContext("2d").createImageData(preview.width, preview.height);
  pixels.forEach((row, y) => row.forEach((value, x) => {
    const rgb = Array.isArray(value) ? value : [value, value, value];
    image.data.set([...rgb, 255], 4 * (y * preview.width + x));
  }));
  preview.getContext("2d").putImageData(image, 0, 0);
}

// ------------------------------------------------------------------ predictions
async function predictDrawing() {
  if (state.dirty) { renderPreview(); }
  await predict({ method: "POST", headers: { "Content-Type": "application/json" },
                  body: JSON.stringify({ pixels: previewPixels() }) });
}

async function uploadFile() {
  const file = $("file").files[0];
  if (!file) { return; }
  const form = new FormData();
  form.append("file", file);
  const answer = await predict({ method: "POST", body: form });
  if (answer && answer.pixels) { drawPixels(answer.pixels); }
  $("file").value = "";
}

async function predictText() {
  await predict({ method: "POST", headers: { "Content-Type": "application/json" },
                  body: JSON.stringify({ text: $("text").value }) });
}

async function predict(options) {
  try {
    const answer = await call("/predict?top=10", options);
    showClasses(answer.classes);
    say(`${t("ready")} ${state.meta.name}`);
    return answer;
  } catch (error) {
    say(error.message, true);
    return null;
  }
}

function showClasses(classes) {
  const bars = $("bars");
  bars.replaceChildren();
  for (const entry of classes) {
    const item = document.createElement("li");
    item.dataset.class = entry.class;
    const name = document.createElement("span");
    name.textContent = entry.class;
    const track = document.createElement("div");
    track.className = "track";
    const fill = document.createElement("div");
    fill.className = "fill";
    fill.style.width = `${(100 * entry.probability).toFixed(1)}%`;
    track.append(fill);
    const value = document.createElement("span");
    value.className = "value";
    value.textContent = `${(100 * entry.probability).toFixed(1)}%`;
    item.append(name, track, value);
    bars.append(item);
  }
  $("top-class").textContent = classes.length ? classes[0].class : "–";
  $("top-class").dataset.index = classes.length ? classes[0].index : "";
}

$("predict-text").addEventListener("click", () => predictText());
start();
