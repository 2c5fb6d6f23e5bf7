// briefing studio: edit a briefing's script, hear its lines, render it.
// Plain JavaScript, no build step. The script file on disk is the truth: every
// change is sent with the version of the file it was made against, the server
// writes the file and answers with the script as it now is, and the page is
// drawn again from that. Text from articles is only ever set as textContent.
"use strict";

(function () {
  var token = document.querySelector('meta[name="briefing-token"]').content;
  var main = document.getElementById("script");
  var statusLine = document.getElementById("status");
  var alertBox = document.getElementById("alert");
  var lineAudio = document.getElementById("line-audio");
  var renderButton = document.getElementById("render");
  var version = null;
  var hosts = [];
  var playing = null;
  var polling = null;

  function api(method, path, body) {
    var options = { method: method, headers: { "X-Briefing-Token": token } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else if (name === "className") node.className = attributes[name];
      else if (attributes[name] !== null && attributes[name] !== false) node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function button(label, key, onClick, extra) {
    var attributes = Object.assign({ type: "button", "data-key": key, text: label }, extra || {});
    var node = el("button", attributes);
    node.addEventListener("click", onClick);
    return node;
  }

  function say(message) { statusLine.textContent = message; }

  function warn(message, stale) {
    alertBox.replaceChildren(el("p", { text: message }));
    if (stale) alertBox.appendChild(button("Reload the script", "reload", function () { load(true); }));
    alertBox.hidden = false;
  }

  function clock(seconds) {
    var whole = Math.max(0, Math.floor(seconds));
    var minutes = Math.floor(whole / 60), rest = whole % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function nameOf(voice) {
    for (var i = 0; i < hosts.length; i++) if (hosts[i].voice === voice) return hosts[i].name;
    return voice;
  }

  function firstWords(text) {
    var words = text.split(/\s+/).slice(0, 8).join(" ");
    return words.length < text.length ? words + "…" : words;
  }

  // Loading and saving.

  function load(clearAlert) {
    return api("GET", "/api/script").then(function (answer) {
      if (clearAlert) alertBox.hidden = true;
      show(answer.data);
    });
  }

  function show(view, focusKey) {
    var active = document.activeElement;
    var key = focusKey || (active && active.getAttribute("data-key"));
    version = view.version;
    if (view.problems && view.problems.length) {
      main.replaceChildren(problemsView(view.problems));
    } else {
      draw(view.script);
    }
    if (view.render) showRender(view.render);
    if (key) {
      var target = main.querySelector('[data-key="' + key + '"]');
      if (target && target.disabled) target = target.parentNode.querySelector("button:not([disabled])");
      if (target) target.focus();
    }
  }

  function change(payload, focusKey, done) {
    payload.version = version;
    say("Saving…");
    return api("POST", "/api/edit", payload).then(function (answer) {
      if (answer.ok) {
        alertBox.hidden = true;
        show(answer.data, focusKey);
        say(done || "Saved to the script file.");
      } else {
        say("");
        warn(answer.data.error || "The change was not saved.", answer.data.stale);
      }
    });
  }

  function problemsView(problems) {
    return el("section", { className: "problems", "aria-labelledby": "problems-title" }, [
      el("h2", { id: "problems-title", text: "This script cannot be used as it stands" }),
      el("p", { text: "Fix these lines in your text editor, then reload this page." }),
      el("ul", {}, problems.map(function (problem) { return el("li", {}, [el("code", { text: problem })]); })),
    ]);
  }

  // Drawing the script.

  function draw(script) {
    hosts = script.hosts;
    document.getElementById("title").textContent = script.title;
    var facts = ["read by " + hosts.map(function (h) { return h.name; }).join(" and "),
      "about " + clock(script.estimated_s) + (script.target_s ? " (target " + clock(script.target_s) + ")" : "")];
    document.getElementById("facts").textContent = facts.join(" · ");
    var count = script.stories.length;
    main.replaceChildren(
      section("opening", "Opening", el("ol", { className: "lines" }, script.opening.map(function (line) { return lineRow(line); }))),
      section("stories", "Stories", el("ol", { className: "stories" }, script.stories.map(function (story, i) {
        return storyCard(story, i, count);
      }))),
      section("sign-off", "Sign-off", el("ol", { className: "lines" }, script.sign_off.map(function (line) { return lineRow(line); }))),
      leftOutSection(script.left_out),
      lexiconSection()
    );
    main.querySelectorAll("textarea").forEach(fit);
  }

  function section(id, title, body) {
    return el("section", { id: id, className: "part", "aria-labelledby": id + "-title" }, [
      el("h2", { id: id + "-title", text: title }), body]);
  }

  function lineRow(line, reader) {
    var label = line.kind === "sentence" ? "" : line.kind;
    var who = hosts.length > 1 && (line.kind !== "sentence" || line.speaker !== reader) ? nameOf(line.speaker) : "";
    var area = el("textarea", { "data-key": "text-" + line.id, rows: "1", spellcheck: "true",
      "aria-label": (label || "Sentence") + (who ? ", read by " + who : "") });
    area.value = line.text;
    area.addEventListener("input", function () { fit(area); });
    area.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { area.value = line.text; fit(area); }
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); area.blur(); }
    });
    area.addEventListener("change", function () {
      var text = area.value.replace(/\s+/g, " ").trim();
      if (text === line.text) return;
      change({ op: "edit", line: line.id, text: text }, null,
        text ? "Saved the line." : "Deleted the line.");
    });
    var play = button("Play", "play-" + line.id, function () { hear(line, play); },
      { className: "play", "aria-label": "Play: " + firstWords(line.text) });
    var tag = el("span", { className: "kind", text: [label, who].filter(Boolean).join(" · ") });
    return el("li", { className: "line line-" + line.kind, "data-line": line.id }, [play, el("div", { className: "line-text" }, [tag, area])]);
  }

  function fit(area) {
    area.style.height = "auto";
    area.style.height = area.scrollHeight + "px";
  }

  function storyCard(story, index, count) {
    var heading = el("h3", { id: "story-" + index, text: (index + 1) + ". " + story.headline });
    var credit = el("p", { className: "credit" });
    if (story.update) credit.appendChild(el("span", { className: "tag", text: "Update" }));
    credit.appendChild(document.createTextNode(story.sources.join(", ") || story.origins.join(", ") || "No outlet named"));
    story.urls.forEach(function (url) {
      if (!/^https?:\/\//.test(url)) return;
      credit.appendChild(document.createTextNode(" · "));
      credit.appendChild(el("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: new URL(url).hostname }));
    });
    var controls = el("div", { className: "controls", role: "group", "aria-label": "Story " + (index + 1) });
    if (hosts.length > 1) controls.appendChild(readerPicker(story, index));
    controls.appendChild(button("Move up", "up-" + index, function () {
      change({ op: "move", story: index, to: index - 1 }, "up-" + (index - 1), "Moved the story up.");
    }, { disabled: index === 0, "aria-describedby": "story-" + index }));
    controls.appendChild(button("Move down", "down-" + index, function () {
      change({ op: "move", story: index, to: index + 1 }, "down-" + Math.min(index + 1, count - 1), "Moved the story down.");
    }, { disabled: index === count - 1, "aria-describedby": "story-" + index }));
    controls.appendChild(button("Drop", "drop-" + index, function () {
      change({ op: "drop", story: index }, "restore-0", "Dropped the story; it is under Left out.");
    }, { className: "danger", disabled: count === 1, "aria-describedby": "story-" + index }));
    return el("li", { className: "story" }, [
      el("article", { "aria-labelledby": "story-" + index }, [
        el("header", { className: "story-head" }, [heading, credit, controls]),
        el("ol", { className: "lines" }, story.lines.map(function (line) { return lineRow(line, story.reader); })),
        addLine(index),
        alternatesList(story, index),
      ]),
    ]);
  }

  function readerPicker(story, index) {
    var id = "reader-" + index;
    var select = el("select", { id: id, "data-key": id });
    hosts.forEach(function (host) {
      var option = el("option", { value: host.voice, text: host.name });
      if (host.voice === story.reader) option.selected = true;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      change({ op: "reader", story: index, voice: select.value }, id, "Changed who reads the story.");
    });
    return el("label", { className: "reader", for: id }, [document.createTextNode("Read by "), select]);
  }

  function addLine(index) {
    var id = "add-" + index;
    var area = el("textarea", { id: id, "data-key": id, rows: "1", placeholder: "A line of your own" });
    var add = button("Add line", "add-button-" + index, function () {
      if (!area.value.trim()) { area.focus(); return; }
      change({ op: "add", story: index, text: area.value }, id, "Added the line.");
    });
    return el("div", { className: "add" }, [el("label", { for: id, className: "visually-hidden", text: "Add a line to story " + (index + 1) }), area, add]);
  }

  function alternatesList(story, index) {
    if (!story.alternates.length) return null;
    var sentences = [];
    story.lines.forEach(function (line, j) { if (line.kind === "sentence") sentences.push({ j: j, line: line }); });
    var items = story.alternates.map(function (alternate, k) {
      var id = "swap-" + index + "-" + k;
      var select = el("select", { id: id + "-target", "data-key": id + "-target" });
      sentences.forEach(function (item, n) {
        select.appendChild(el("option", { value: item.line.id, text: "sentence " + (n + 1) + ": " + firstWords(item.line.text) }));
      });
      if (sentences.length) select.value = sentences[sentences.length - 1].line.id;
      var swap = button("Swap in", id, function () {
        change({ op: "swap", line: select.value, alternate: k }, id, "Swapped the sentence in.");
      });
      var rank = alternate.rank ? "ranked " + alternate.rank : "was in the script";
      return el("li", { className: "alternate" }, [
        el("p", {}, [el("span", { className: "rank", text: rank }), document.createTextNode(" " + alternate.text)]),
        el("div", { className: "swap" }, [el("label", { for: id + "-target", text: "In place of" }), select, swap]),
      ]);
    });
    return el("details", { className: "alternates" }, [
      el("summary", { "data-key": "alternates-" + index, text: "Other sentences (" + story.alternates.length + ")" }),
      el("ol", {}, items),
    ]);
  }

  function leftOutSection(leftOut) {
    if (!leftOut.length) return section("left-out", "Left out", el("p", { className: "hint", text: "Nothing is left out." }));
    return section("left-out", "Left out", el("ol", { className: "left-out" }, leftOut.map(function (item, i) {
      return el("li", {}, [
        el("p", { className: "headline", text: item.headline }),
        el("p", { className: "credit", text: "Left out " + item.reason + (item.sources.length ? " · " + item.sources.join(", ") : "") }),
        button("Bring back", "restore-" + i, function () {
          change({ op: "restore", left: i }, "down-0", "Brought the story back as the last one.");
        }),
        el("details", {}, [el("summary", { text: "Its sentences" }),
          el("ol", {}, item.sentences.map(function (text) { return el("li", { text: text }); }))]),
      ]);
    })));
  }

  function lexiconSection() {
    var word = el("input", { id: "word", "data-key": "word", autocomplete: "off" });
    var sayAs = el("input", { id: "say", "data-key": "say", autocomplete: "off" });
    var form = el("form", { className: "lexicon" }, [
      el("div", {}, [el("label", { for: "word", text: "Word, as written" }), word]),
      el("div", {}, [el("label", { for: "say", text: "Say it as" }), sayAs]),
      el("button", { type: "submit", "data-key": "lexicon-add", text: "Add to the lexicon" }),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      api("POST", "/api/lexicon", { word: word.value, say: sayAs.value }).then(function (answer) {
        if (answer.ok) {
          say("Added " + word.value + " to the library's lexicon: play a line with it to hear it.");
          word.value = ""; sayAs.value = "";
        } else {
          warn(answer.data.error);
        }
      });
    });
    return section("pronunciation", "Pronunciation", el("div", {}, [
      el("p", { className: "hint", text: "A name read wrongly? Respell it (\"Peskov\" as \"Peskoff\"). Every render into this library uses it." }),
      form]));
  }

  // Hearing a line.

  function hear(line, play) {
    if (playing === play && !lineAudio.paused) { lineAudio.pause(); return; }
    play.disabled = true;
    say("Speaking the line…");
    api("POST", "/api/speak", { line: line.id }).then(function (answer) {
      play.disabled = false;
      if (!answer.ok) { warn(answer.data.error); say(""); return; }
      if (playing) setPlaying(playing, false);
      playing = play;
      lineAudio.src = answer.data.audio;
      setPlaying(play, true);
      say("Playing: " + firstWords(line.text));
      var started = lineAudio.play();
      if (started && started.catch) started.catch(function () { setPlaying(play, false); say("This browser could not play the line."); });
    });
  }

  function setPlaying(play, on) {
    play.setAttribute("aria-pressed", on ? "true" : "false");
    play.textContent = on ? "Stop" : "Play";
  }

  lineAudio.addEventListener("ended", function () { if (playing) setPlaying(playing, false); say(""); });
  lineAudio.addEventListener("pause", function () { if (playing) setPlaying(playing, false); });

  // Rendering.

  var STAGES = { prepare: "Preparing", synthesize: "Speaking the lines", encode: "Encoding the MP3", publish: "Publishing" };

  function showRender(job) {
    var result = document.getElementById("result");
    var bar = document.getElementById("progress");
    var text = document.getElementById("progress-text");
    if (job.state === "idle") return;
    result.hidden = false;
    renderButton.disabled = job.state === "running";
    if (job.state === "running") {
      bar.max = job.total || 1;
      bar.value = job.done;
      text.textContent = (STAGES[job.stage] || "Working") + (job.total ? " (" + job.done + " of " + job.total + ")" : "") + "…";
      if (!polling) polling = setTimeout(poll, 400);
    } else if (job.state === "failed") {
      text.textContent = "The episode was not made: " + job.message;
    } else if (job.state === "done") {
      var episode = job.episode;
      bar.max = 1; bar.value = 1;
      text.textContent = "Published " + episode.id + ": " + clock(episode.duration_s) + ", " + episode.stories.length +
        " stories; " + episode.synthesized + " of " + episode.segments + " lines spoken, the rest from the cache.";
      var audio = document.getElementById("episode");
      if (audio.getAttribute("data-episode") !== episode.id) {
        audio.setAttribute("data-episode", episode.id);
        audio.src = episode.audio;
        return true;
      }
    }
    return false;
  }

  function poll() {
    polling = null;
    api("GET", "/api/render").then(function (answer) {
      var fresh = showRender(answer.data);
      if (answer.data.state === "done") {
        say("The episode is published; playing it.");
        if (fresh) {
          var played = document.getElementById("episode").play();
          if (played && played.catch) played.catch(function () {});
        }
      }
    });
  }

  renderButton.addEventListener("click", function () {
    renderButton.disabled = true;
    say("Rendering the script as it is saved…");
    document.getElementById("episode").removeAttribute("data-episode");
    api("POST", "/api/render", {}).then(function (answer) {
      showRender(answer.data);
      if (!answer.ok && answer.status !== 409) warn(answer.data.error || "The render could not start.");
    });
  });

  // Only one player sounds at a time.
  document.addEventListener("play", function (event) {
    document.querySelectorAll("audio").forEach(function (audio) {
      if (audio !== event.target && !audio.paused) audio.pause();
    });
  }, true);

  // Back from a text editor: show the file as it is now, unless a line is being edited here.
  window.addEventListener("focus", function () {
    api("GET", "/api/script").then(function (answer) {
      var editing = document.activeElement && document.activeElement.tagName === "TEXTAREA";
      if (answer.data.version !== version && !editing) {
        show(answer.data);
        say("The script file changed outside the studio; this is it now.");
      }
    });
  });

  load(false);
})();
