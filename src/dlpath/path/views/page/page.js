/* The learning path page: draws the embedded roadmap document as a graph of stages and
   skills, filters it by role and shows one skill in a side panel. Plain JavaScript, no
   network: everything it shows is in the two JSON blocks of the page. */
(function () {
  "use strict";

  var doc = JSON.parse(document.getElementById("dlpath-document").textContent);
  var cfg = JSON.parse(document.getElementById("dlpath-page-config").textContent);
  var S = cfg.strings;
  var DEPTHS = doc.depths || ["aware", "explain", "implement", "ship"];
  var SVG_NS = "http://www.w3.org/2000/svg";

  var view = { role: doc.role || "", selected: null, hover: null, showLinks: false };

  // ------------------------------------------------------------------ indexes
  var stages = doc.stages.slice().sort(function (a, b) { return a.order - b.order; });
  var skills = {}, stageOf = {}, dependents = {}, stagesById = {}, rolesById = {};
  stages.forEach(function (stage) {
    stagesById[stage.id] = stage;
    stage.skills.forEach(function (skill) { skills[skill.id] = skill; stageOf[skill.id] = stage; });
  });
  Object.keys(skills).forEach(function (id) {
    skills[id].prerequisites.forEach(function (need) {
      (dependents[need] = dependents[need] || []).push(id);
    });
  });
  (doc.roles || []).forEach(function (role) { rolesById[role.id] = role; });

  // ------------------------------------------------------------------ helpers
  function say(key, values) {
    var text = S[key] !== undefined ? S[key] : key;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && values[name] !== undefined ? String(values[name]) : all;
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "html") node.innerHTML = value; // only HTML rendered by dlpath
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }

  function needs(skill, role) { return !role || Object.prototype.hasOwnProperty.call(skill.depth, role); }

  function depthOfLab(lab) {
    var info = doc.labs[lab];
    return DEPTHS.indexOf(cfg.depth_of_kind[info.kind]);
  }

  // The labs that verify a skill for a role (as dlpath.path.progress.states.needed_labs).
  function neededLabs(skill, role) {
    var labs = skill.labs.filter(function (lab) { return doc.labs[lab] !== undefined; });
    if (!role || !labs.length) return labs;
    var wanted = needs(skill, role) ? DEPTHS.indexOf(skill.depth[role]) : DEPTHS.length - 1;
    var shallow = labs.filter(function (lab) { return depthOfLab(lab) <= wanted; });
    if (!shallow.length) {
      var least = Math.min.apply(null, labs.map(depthOfLab));
      shallow = labs.filter(function (lab) { return depthOfLab(lab) === least; });
    }
    return shallow;
  }

  // A skill's state for a role: the document's own where it was built for that role,
  // else derived from its lab states as dlpath.path.progress.states.skill_states does.
  function stateOf(skill, role) {
    role = role || null;
    if (role === (doc.role || null)) {
      return { state: skill.state, needs: skill.needs, verifiedAt: skill.verified_at };
    }
    var labs = neededLabs(skill, role), states = skill.lab_states || {};
    if (labs.length && labs.every(function (lab) { return states[lab] === "passed"; })) {
      return { state: "verified", needs: labs, verifiedAt: null };
    }
    var touched = Object.keys(states).some(function (lab) { return states[lab] !== "not-started"; });
    return { state: touched ? "in-progress" : "not-started", needs: labs, verifiedAt: null };
  }

  function labState(skill, lab) {
    if (skill.lab_states && skill.lab_states[lab]) return skill.lab_states[lab];
    return doc.labs[lab] ? doc.labs[lab].state : "not-started";
  }

  function labCommand(lab, kind) {
    if (kind === "quiz") return "dlpath quiz " + lab;
    if (kind === "project") return "dlpath lab check " + lab + " --model RUN_DIR";
    return "dlpath lab start " + lab;
  }

  function formatDate(iso) {
    if (!iso) return "";
    var date = new Date(iso);
    if (isNaN(date.getTime())) return iso;
    try {
      return date.toLocaleDateString(doc.lang === "zh" ? "zh-CN" : "en-GB",
                                     { year: "numeric", month: "short", day: "numeric" });
    } catch (error) {
      return iso.slice(0, 10);
    }
  }

  // A space between two Chinese characters is left over from folding a long line.
  var FOLDED = /([\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]) (?=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f])/g;
  function tidy(text) { return String(text || "").replace(FOLDED, "$1"); }

  function endSentence(text) {
    text = String(text || "").trim();
    return /[.!?。！？]$/.test(text) ? text : text + ".";
  }

  function stageLevels(stage) {
    // Prerequisite depth inside the stage, over all its skills so the layout stays put.
    var level = {}, inStage = {};
    stage.skills.forEach(function (skill) { inStage[skill.id] = true; });
    function depth(id, seen) {
      if (level[id] !== undefined) return level[id];
      if (seen[id]) return 0;
      seen[id] = true;
      var best = 0;
      skills[id].prerequisites.forEach(function (need) {
        if (inStage[need]) best = Math.max(best, depth(need, seen) + 1);
      });
      level[id] = best;
      return best;
    }
    stage.skills.forEach(function (skill) { depth(skill.id, {}); });
    return level;
  }

  // ------------------------------------------------------------------ header
  var stagesEl = document.getElementById("stages");
  var roadmapEl = document.getElementById("roadmap");
  var edgesEl = document.getElementById("edges");
  var detailEl = document.getElementById("detail");
  var layoutEl = document.getElementById("layout");
  var roleSelect = document.getElementById("role-filter");
  var roleCard = document.getElementById("role-card");

  function renderHeader() {
    document.getElementById("page-subtitle").textContent = S.page_subtitle;
    document.getElementById("page-title").textContent = S.page_title;
    document.getElementById("role-label").textContent = S.role_label;
    document.getElementById("show-links-label").textContent = S.show_links;
    roleSelect.appendChild(el("option", { value: "", text: S.all_roles }));
    (doc.roles || []).forEach(function (role) {
      roleSelect.appendChild(el("option", { value: role.id, text: role.title }));
    });
    roleSelect.value = view.role;
    var legend = document.getElementById("legend");
    legend.setAttribute("aria-label", S.legend);
    ["verified", "in-progress", "not-started"].forEach(function (state) {
      legend.appendChild(el("li", { className: "legend-item state-" + state }, [
        el("span", { className: "dot", "aria-hidden": "true" }), say("state_" + state)]));
    });
  }

  function renderRoleCard() {
    var role = rolesById[view.role];
    roleCard.textContent = "";
    roleCard.hidden = !role;
    if (!role) return;
    roleCard.appendChild(el("h2", { text: role.title }));
    roleCard.appendChild(el("p", { text: tidy(role.summary) }));
    if (role.responsibilities && role.responsibilities.length) {
      roleCard.appendChild(el("details", {}, [
        el("summary", { text: S.responsibilities }),
        el("ul", {}, role.responsibilities.map(function (item) { return el("li", { text: tidy(item) }); }))
      ]));
    }
  }

  // ------------------------------------------------------------------ the graph
  function skillNode(skill, role) {
    var state = stateOf(skill, role);
    var labs = skill.labs.filter(function (lab) { return doc.labs[lab] !== undefined || (skill.lab_states || {})[lab]; });
    var passed = labs.filter(function (lab) { return labState(skill, lab) === "passed"; }).length;
    var earlier = skill.prerequisites.filter(function (need) {
      return skills[need] && stageOf[need] !== stageOf[skill.id] && needs(skills[need], role);
    }).length;
    var meta = [];
    if (role) {
      var depth = skill.depth[role];
      meta.push(el("span", { className: "depth depth-" + depth, text: say("depth_" + depth) }));
    }
    if (labs.length) {
      meta.push(el("span", { className: "labs-count", text: say("labs_count", { done: passed, total: labs.length }) }));
    }
    if (earlier) {
      meta.push(el("span", { className: "earlier", title: say("earlier_prerequisites", { n: earlier }),
                             text: "\u2191" + earlier }));
    }
    var node = el("button", {
      type: "button", id: "skill-" + skill.id, className: "skill-node state-" + state.state,
      "data-skill": skill.id, "data-state": state.state,
      "aria-label": skill.title + " \u2014 " + say("state_" + state.state)
    }, [
      el("span", { className: "node-head" }, [
        el("span", { className: "dot", "aria-hidden": "true" }),
        el("span", { className: "node-title", text: skill.title })]),
      meta.length ? el("span", { className: "node-meta" }, meta) : null
    ]);
    if (skill.id === view.selected) node.classList.add("selected");
    node.addEventListener("click", function () { openSkill(skill.id, false); });
    node.addEventListener("mouseenter", function () { view.hover = skill.id; drawEdges(); });
    node.addEventListener("mouseleave", function () { view.hover = null; drawEdges(); });
    node.addEventListener("focus", function () { view.hover = skill.id; drawEdges(); });
    node.addEventListener("blur", function () { view.hover = null; drawEdges(); });
    return node;
  }

  function renderStages() {
    var role = view.role, done = 0, total = 0;
    stagesEl.textContent = "";
    stages.forEach(function (stage) {
      var shown = stage.skills.filter(function (skill) { return needs(skill, role); });
      if (!shown.length) return;
      var verified = shown.filter(function (skill) { return stateOf(skill, role).state === "verified"; }).length;
      done += verified;
      total += shown.length;
      var level = stageLevels(stage), columns = {};
      shown.forEach(function (skill) { (columns[level[skill.id]] = columns[level[skill.id]] || []).push(skill); });
      var graph = el("div", { className: "stage-graph" }, Object.keys(columns)
        .map(Number).sort(function (a, b) { return a - b; })
        .map(function (key) {
          return el("div", { className: "level" }, columns[key].map(function (skill) { return skillNode(skill, role); }));
        }));
      var share = shown.length ? Math.round(100 * verified / shown.length) : 0;
      var section = el("section", { className: "stage", id: "stage-" + stage.id, "data-stage": stage.id,
                                    "aria-labelledby": "stage-title-" + stage.id }, [
        el("div", { className: "stage-rail" }, [
          el("span", { className: "stage-badge" + (verified === shown.length ? " complete" : ""),
                       text: String(stage.order) })]),
        el("div", { className: "stage-main" }, [
          el("header", { className: "stage-head" }, [
            el("div", { className: "stage-name" }, [
              el("p", { className: "kicker", text: say("stage_n", { n: stage.order }) }),
              el("h2", { id: "stage-title-" + stage.id, text: stage.title })]),
            el("div", { className: "stage-progress" }, [
              el("div", { className: "bar", role: "progressbar", "aria-valuemin": "0",
                          "aria-valuemax": String(shown.length), "aria-valuenow": String(verified) }, [
                el("span", { style: "width:" + share + "%" })]),
              el("span", { className: "count", text: say("stage_count", { done: verified, total: shown.length }) })])
          ]),
          el("div", { className: "stage-summary prose", html: stage.summary_html || null,
                      text: stage.summary_html ? null : stage.summary }),
          graph
        ])
      ]);
      stagesEl.appendChild(section);
    });
    document.getElementById("overall").textContent = say("overall", { done: done, total: total });
  }

  // ------------------------------------------------------------------ arrows
  function box(node, origin) {
    var r = node.getBoundingClientRect();
    var l = r.left - origin.left, t = r.top - origin.top;
    return { l: l, t: t, r: l + r.width, b: t + r.height, cx: l + r.width / 2, cy: t + r.height / 2 };
  }

  function route(a, b) {
    var x1, y1, x2, y2, d;
    if (b.l >= a.r + 6) {
      x1 = a.r; y1 = a.cy; x2 = b.l; y2 = b.cy; d = Math.max(18, (x2 - x1) / 2);
      return "M" + x1 + "," + y1 + " C" + (x1 + d) + "," + y1 + " " + (x2 - d) + "," + y2 + " " + x2 + "," + y2;
    }
    if (b.t >= a.b + 4) {
      x1 = a.cx; y1 = a.b; x2 = b.cx; y2 = b.t; d = Math.max(14, (y2 - y1) / 2);
      return "M" + x1 + "," + y1 + " C" + x1 + "," + (y1 + d) + " " + x2 + "," + (y2 - d) + " " + x2 + "," + y2;
    }
    if (a.l >= b.r + 6) {
      x1 = a.l; y1 = a.cy; x2 = b.r; y2 = b.cy; d = Math.max(18, (x1 - x2) / 2);
      return "M" + x1 + "," + y1 + " C" + (x1 - d) + "," + y1 + " " + (x2 + d) + "," + y2 + " " + x2 + "," + y2;
    }
    x1 = a.cx; y1 = a.t; x2 = b.cx; y2 = b.b; d = Math.max(14, (y1 - y2) / 2);
    return "M" + x1 + "," + y1 + " C" + x1 + "," + (y1 - d) + " " + x2 + "," + (y2 + d) + " " + x2 + "," + y2;
  }

  // Across stages: out of the prerequisite's right side and down the gap beside its
  // column, along the space above the skill's stage graph (g), down the gap before the
  // skill's column and into its left side; corners rounded.
  function routeAcross(a, b, g) {
    if (!g || g.t < a.b) return route(a, b);
    var lane = Math.min(a.r + 18, roadmapEl.clientWidth - 3), top = g.t - 8, enter = b.l - 12;
    return rounded([[a.r, a.cy], [lane, a.cy], [lane, top], [enter, top], [enter, b.cy],
                    [b.l, b.cy]], 6);
  }

  function rounded(points, radius) {
    var d = "M" + points[0][0] + "," + points[0][1];
    for (var i = 1; i < points.length - 1; i++) {
      var p = points[i], prev = points[i - 1], next = points[i + 1];
      var r = Math.min(radius, dist(prev, p) / 2, dist(p, next) / 2);
      var a = toward(p, prev, r), b = toward(p, next, r);
      d += " L" + a[0] + "," + a[1] + " Q" + p[0] + "," + p[1] + " " + b[0] + "," + b[1];
    }
    var last = points[points.length - 1];
    return d + " L" + last[0] + "," + last[1];
  }

  function dist(p, q) { return Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]); }

  function toward(p, q, r) {
    var length = dist(p, q) || 1;
    return [p[0] + (q[0] - p[0]) * r / length, p[1] + (q[1] - p[1]) * r / length];
  }

  function markers() {
    var defs = svg("defs");
    [["arrow", "edge-head"], ["arrow-focus", "edge-head focus"], ["arrow-stage", "edge-head stage"]].forEach(function (m) {
      var marker = svg("marker", { id: m[0], viewBox: "0 0 10 10", refX: "9", refY: "5",
                                   markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse",
                                   markerUnits: "userSpaceOnUse" });
      marker.appendChild(svg("path", { d: "M0,1 L10,5 L0,9 z", "class": m[1] }));
      defs.appendChild(marker);
    });
    return defs;
  }

  function drawEdges() {
    var origin = roadmapEl.getBoundingClientRect();
    edgesEl.textContent = "";
    edgesEl.appendChild(markers());
    var focus = view.hover || view.selected;
    var boxes = {}, graphs = {};
    function graphBox(id) {
      if (graphs[id] === undefined) {
        var node = document.getElementById("skill-" + id);
        var graph = node && node.closest(".stage-graph");
        graphs[id] = graph ? box(graph, origin) : null;
      }
      return graphs[id];
    }
    function nodeBox(id) {
      if (boxes[id] === undefined) {
        var node = document.getElementById("skill-" + id);
        boxes[id] = node ? box(node, origin) : null;
      }
      return boxes[id];
    }
    var related = {};
    if (focus) {
      related[focus] = true;
      (skills[focus] ? skills[focus].prerequisites : []).forEach(function (id) { related[id] = true; });
      (dependents[focus] || []).forEach(function (id) { related[id] = true; });
    }
    Array.prototype.forEach.call(stagesEl.querySelectorAll(".skill-node"), function (node) {
      node.classList.toggle("related", !!focus && !!related[node.getAttribute("data-skill")] &&
                            node.getAttribute("data-skill") !== focus);
      node.classList.toggle("dimmed", !!focus && !related[node.getAttribute("data-skill")]);
    });
    var late = [];
    Object.keys(skills).forEach(function (id) {
      var to = nodeBox(id);
      if (!to) return;
      var direct = directSkillPrerequisites(id);
      skills[id].prerequisites.forEach(function (need) {
        var from = nodeBox(need);
        if (!from) return;
        var near = stageOf[need] === stageOf[id];
        var hot = !!focus && (focus === id || focus === need);
        if (!hot && (direct.indexOf(need) < 0 || (!near && !view.showLinks))) return;
        var cls = "edge" + (near ? "" : " cross") + (hot ? " focus" : "") + (focus && !hot ? " dim" : "");
        var path = svg("path", { d: near ? route(from, to) : routeAcross(from, to, graphBox(id)), "class": cls, "data-from": need, "data-to": id,
                                 "marker-end": hot ? "url(#arrow-focus)" : "url(#arrow)" });
        if (hot) late.push(path);
        else edgesEl.appendChild(path);
      });
    });
    late.forEach(function (path) { edgesEl.appendChild(path); });
    drawStageEdges(origin);
  }

  // Prerequisites less those implied by the others (a needs b and c, b needs c: no arrow
  // from c to a). Arrows of the skill in focus show them all.
  function direct(nodes, id) {
    var needs = nodes[id].prerequisites.filter(function (need) { return nodes[need]; });
    function reaches(from, target, seen) {
      if (seen[from]) return false;
      seen[from] = true;
      return nodes[from].prerequisites.some(function (need) {
        return nodes[need] && (need === target || reaches(need, target, seen));
      });
    }
    return needs.filter(function (need) {
      return !needs.some(function (other) { return other !== need && reaches(other, need, {}); });
    });
  }
  var directCache = {};
  function directSkillPrerequisites(id) {
    return directCache[id] || (directCache[id] = direct(skills, id));
  }
  function directStagePrerequisites(id) { return direct(stagesById, id); }

  function drawStageEdges(origin) {
    var shown = [], badge = {};
    stages.forEach(function (stage) {
      var node = document.querySelector("#stage-" + CSS.escape(stage.id) + " .stage-badge");
      if (node) { shown.push(stage.id); badge[stage.id] = box(node, origin); }
    });
    shown.forEach(function (id, index) {
      directStagePrerequisites(id).forEach(function (need) {
        if (!badge[need]) return;
        var a = badge[need], b = badge[id], d;
        if (shown.indexOf(need) === index - 1) {
          d = "M" + a.cx + "," + a.b + " L" + b.cx + "," + (b.t - 1);
        } else {
          var skip = index - shown.indexOf(need);
          var bend = Math.min(a.l - 2, 10 + 6 * skip);
          d = "M" + a.l + "," + a.cy + " C" + (a.l - bend) + "," + a.cy + " " + (b.l - bend) + "," + b.cy + " " + b.l + "," + b.cy;
        }
        edgesEl.appendChild(svg("path", { d: d, "class": "edge stage-edge", "data-from": need, "data-to": id,
                                          "marker-end": "url(#arrow-stage)" }));
      });
    });
  }

  var pending = 0;
  function redraw() {
    if (pending) return;
    pending = requestAnimationFrame(function () { pending = 0; drawEdges(); });
  }

  // ------------------------------------------------------------------ the detail panel
  function section(title, body, className) {
    return el("section", { className: "detail-section " + (className || "") }, [el("h3", { text: title })].concat(body));
  }

  function chip(id) {
    var skill = skills[id];
    if (!skill) return el("span", { className: "chip missing", text: id });
    var state = stateOf(skill, view.role).state;
    var button = el("button", { type: "button", className: "chip state-" + state, "data-skill": id,
                                title: say("state_" + state) }, [
      el("span", { className: "dot", "aria-hidden": "true" }), skill.title]);
    button.addEventListener("click", function () { openSkill(id, true); });
    return button;
  }

  function referenceItem(ref) {
    var authors = (ref.authors || []).join(", ");
    var title = ref.url && /^https?:\/\//i.test(ref.url)
      ? el("a", { href: ref.url, target: "_blank", rel: "noopener noreferrer", text: ref.title })
      : el("cite", { text: ref.title });
    var after = /[.!?。！？]$/.test(ref.title) ? " " : ". ";
    return el("li", { className: "reference", id: "ref-" + ref.key }, [
      authors + " (" + ref.year + "). ", title, after + endSentence(ref.venue)]);
  }

  function renderDetail(skill) {
    var role = view.role, state = stateOf(skill, role), stage = stageOf[skill.id];
    detailEl.textContent = "";
    var close = el("button", { type: "button", className: "close", "aria-label": S.close, title: S.close, text: "\u00d7" });
    close.addEventListener("click", closeSkill);
    var status = [el("span", { className: "pill state-" + state.state }, [
      el("span", { className: "dot", "aria-hidden": "true" }), say("state_" + state.state)])];
    if (state.verifiedAt) status.push(el("span", { className: "muted", text: say("verified_on", { date: formatDate(state.verifiedAt) }) }));
    if (role && rolesById[role]) {
      status.push(el("span", { className: "depth depth-" + skill.depth[role],
                               text: say("depth_for_role", { role: rolesById[role].title, depth: say("depth_" + skill.depth[role]) }) }));
    }
    var parts = [
      close,
      el("p", { className: "kicker", text: say("stage_n", { n: stage.order }) + " \u00b7 " + stage.title }),
      el("h2", { id: "detail-title", text: skill.title }),
      el("div", { className: "status" }, status),
      el("div", { className: "prose skill-text", html: skill.text_html || null, text: skill.text_html ? null : skill.text })
    ];
    if (!role && doc.roles && doc.roles.length) {
      parts.push(section(S.depth_by_role, [el("dl", { className: "depths" }, [].concat.apply([], doc.roles.map(function (r) {
        var depth = skill.depth[r.id];
        return [el("dt", { text: r.title }),
                el("dd", { className: depth ? "depth depth-" + depth : "muted", text: depth ? say("depth_" + depth) : S.not_needed })];
      })))], "depth-table"));
    }
    if (skill.formulas.length) {
      parts.push(section(S.formulas, skill.formulas.map(function (formula) {
        var math = formula.mathml
          ? el("div", { className: "math", html: formula.mathml })
          : el("div", { className: "math fallback" }, [el("code", { className: "tex", text: formula.tex })]);
        return el("figure", { className: "formula" }, [
          el("figcaption", { text: formula.name }), math,
          formula.code ? el("p", { className: "where" }, [S.where_in_dlpath + ": ", el("code", { text: formula.code })]) : null]);
      }), "formulas"));
    }
    var labs = skill.labs, needs = state.needs || [];
    // Mark the labs that verify the skill only where some others do not.
    var marked = needs.length < labs.filter(function (lab) { return doc.labs[lab]; }).length;
    parts.push(section(S.labs, labs.length ? [el("ul", { className: "labs" }, labs.map(function (lab) {
      var info = doc.labs[lab] || { title: lab, kind: "unknown" };
      var ls = labState(skill, lab), needed = marked && needs.indexOf(lab) >= 0;
      return el("li", { className: "lab lab-" + ls, "data-lab": lab }, [
        el("div", { className: "lab-head" }, [
          el("span", { className: "lab-title", text: info.title }),
          el("span", { className: "tag", text: say("kind_" + info.kind) }),
          needed ? el("span", { className: "tag needed", text: S.needed }) : null,
          el("span", { className: "pill lab-state lab-" + ls }, [el("span", { className: "dot", "aria-hidden": "true" }), say("lab_" + ls)])]),
        el("code", { className: "command", text: labCommand(lab, info.kind) })]);
    }))] : [el("p", { className: "muted", text: S.no_labs })], "labs-section"));
    if (skill.recipes.length) {
      parts.push(section(S.recipes, [el("ul", { className: "commands" }, skill.recipes.map(function (recipe) {
        return el("li", {}, [el("code", { className: "command", text: "dlpath train " + recipe })]);
      }))], "recipes"));
    }
    if (skill.code.length) {
      parts.push(section(S.code, [el("ul", { className: "code-paths" }, skill.code.map(function (path) {
        return el("li", {}, [el("code", { text: path })]);
      }))], "code"));
    }
    parts.push(section(S.prerequisites, skill.prerequisites.length
      ? [el("div", { className: "chips" }, skill.prerequisites.map(chip))]
      : [el("p", { className: "muted", text: S.none })], "prerequisites"));
    if ((dependents[skill.id] || []).length) {
      parts.push(section(S.leads_to, [el("div", { className: "chips" }, dependents[skill.id].map(chip))], "leads-to"));
    }
    if (skill.references.length) {
      parts.push(section(S.references, [el("ol", { className: "references" }, skill.references.map(referenceItem))], "references-section"));
    }
    parts.forEach(function (part) { detailEl.appendChild(part); });
  }

  function markSelected() {
    Array.prototype.forEach.call(stagesEl.querySelectorAll(".skill-node"), function (node) {
      node.classList.toggle("selected", node.getAttribute("data-skill") === view.selected);
    });
  }

  function openSkill(id, scroll) {
    if (!skills[id]) return;
    view.selected = id;
    renderDetail(skills[id]);
    detailEl.hidden = false;
    detailEl.scrollTop = 0;
    layoutEl.classList.add("with-detail");
    document.body.classList.add("detail-open");
    markSelected();
    if (location.hash !== "#" + id) history.replaceState(null, "", "#" + encodeURIComponent(id));
    var node = document.getElementById("skill-" + id);
    if (scroll && node) node.scrollIntoView({ block: "nearest", inline: "nearest" });
    if (window.matchMedia && window.matchMedia("(max-width: 900px)").matches) {
      detailEl.focus({ preventScroll: true });
    }
    redraw();
  }

  function closeSkill() {
    var was = view.selected;
    view.selected = null;
    detailEl.hidden = true;
    detailEl.textContent = "";
    layoutEl.classList.remove("with-detail");
    document.body.classList.remove("detail-open");
    markSelected();
    history.replaceState(null, "", location.pathname + location.search);
    var node = was && document.getElementById("skill-" + was);
    if (node) node.focus({ preventScroll: true });
    redraw();
  }

  // ------------------------------------------------------------------ wiring
  function render() {
    renderRoleCard();
    renderStages();
    if (view.selected && skills[view.selected]) renderDetail(skills[view.selected]);
    markSelected();
    redraw();
  }

  renderHeader();
  roleSelect.addEventListener("change", function () { view.role = roleSelect.value; render(); });
  document.getElementById("show-links").addEventListener("change", function (event) {
    view.showLinks = event.target.checked; redraw();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && view.selected) closeSkill();
  });
  window.addEventListener("resize", redraw);
  if (window.ResizeObserver) new ResizeObserver(redraw).observe(roadmapEl);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(redraw);
  render();
  var start = decodeURIComponent(location.hash.slice(1));
  if (start && skills[start]) openSkill(start, true);
  document.documentElement.setAttribute("data-ready", "true");
})();
