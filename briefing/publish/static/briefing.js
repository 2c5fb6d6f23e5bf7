// briefing: the library page's behaviour. Plain JavaScript, no build step.
// Story clips play from their buttons; the transcript follows whichever
// player is playing, sentence by sentence and word by word (cue times come
// from the VTT, word times from transcript.json, rendered as data-start /
// data-end), and selecting a sentence or a word seeks the full episode to it.
"use strict";

(function () {
  function setUpEpisode(episode) {
    var full = episode.querySelector("audio.episode-audio");
    var clip = episode.querySelector("audio.clip-audio");
    var status = episode.querySelector(".now-playing");
    var cueList = episode.querySelector(".cues");
    function timed(el) {
      return { el: el, start: parseFloat(el.dataset.start), end: parseFloat(el.dataset.end) };
    }
    var cues = Array.prototype.map.call(episode.querySelectorAll(".cue"), function (el) {
      var cue = timed(el);
      cue.words = Array.prototype.map.call(el.querySelectorAll(".word"), timed);
      return cue;
    });
    var buttons = Array.prototype.slice.call(episode.querySelectorAll("button.play"));
    var activeButton = null;
    var current = null;
    var currentWord = null;

    function cueAt(seconds) {
      var found = null;
      for (var i = 0; i < cues.length; i++) {
        if (cues[i].start <= seconds + 0.001) found = cues[i];
        else break;
      }
      return found && seconds < found.end + 0.25 ? found : null;
    }

    function wordAt(cue, seconds) {
      var found = null;
      if (!cue) return null;
      for (var i = 0; i < cue.words.length; i++) {
        if (cue.words[i].start <= seconds + 0.02) found = cue.words[i];
        else break;
      }
      // A word stays lit through the short gap before the next, not through a pause.
      return found && seconds < found.end + 0.15 ? found : null;
    }

    function highlightWord(word) {
      if (word === currentWord) return;
      if (currentWord) currentWord.el.classList.remove("is-spoken");
      currentWord = word;
      if (word) word.el.classList.add("is-spoken");
    }

    function highlight(seconds) {
      var cue = cueAt(seconds);
      highlightWord(wordAt(cue, seconds));
      if (cue === current) return;
      if (current) {
        current.el.classList.remove("is-current");
        current.el.removeAttribute("aria-current");
      }
      current = cue;
      if (!cue) return;
      cue.el.classList.add("is-current");
      cue.el.setAttribute("aria-current", "true");
      if (cueList) {
        // Scroll only the transcript box, never the page under the reader.
        var top = cue.el.offsetTop - cueList.offsetTop;
        if (top < cueList.scrollTop || top + cue.el.offsetHeight > cueList.scrollTop + cueList.clientHeight) {
          cueList.scrollTop = Math.max(0, top - cueList.clientHeight / 3);
        }
      }
    }

    function setButton(button, playing) {
      button.setAttribute("aria-pressed", playing ? "true" : "false");
      button.querySelector(".label").textContent = playing ? "Pause" : "Play";
      button.closest(".story").classList.toggle("is-playing", playing);
    }

    function headlineOf(button) {
      var story = button.closest(".story");
      var headline = story.querySelector(".headline");
      var text = headline ? headline.textContent : "";
      return story.dataset.reader ? text + ", read by " + story.dataset.reader : text;
    }

    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        if (activeButton === button && !clip.paused) {
          clip.pause();
          setButton(button, false);  // now, not when the pause event comes
          return;
        }
        if (activeButton && activeButton !== button) setButton(activeButton, false);
        activeButton = button;
        if (clip.getAttribute("src") !== button.dataset.clip) {
          clip.src = button.dataset.clip;
        }
        clip.dataset.offset = button.dataset.offset;
        setButton(button, true);
        status.textContent = "Playing story: " + headlineOf(button);
        var played = clip.play();
        if (played && played.catch) {
          played.catch(function () {
            setButton(button, false);
            status.textContent = "This browser could not play the story.";
          });
        }
      });
    });

    function clipTime() {
      return parseFloat(clip.dataset.offset || "0") + clip.currentTime;
    }

    // timeupdate comes four times a second, too seldom for words: follow each frame while playing.
    function follow(player, now) {
      function step() {
        if (player.paused || player.ended) return;
        highlight(now());
        window.requestAnimationFrame(step);
      }
      window.requestAnimationFrame(step);
    }

    clip.addEventListener("timeupdate", function () { highlight(clipTime()); });
    clip.addEventListener("pause", function () {
      if (activeButton) setButton(activeButton, false);
    });
    clip.addEventListener("play", function () {
      if (activeButton) setButton(activeButton, true);
      follow(clip, clipTime);
    });
    clip.addEventListener("ended", function () {
      if (activeButton) setButton(activeButton, false);
      status.textContent = "";
    });

    full.addEventListener("timeupdate", function () { highlight(full.currentTime); });
    full.addEventListener("seeked", function () { highlight(full.currentTime); });
    full.addEventListener("play", function () {
      status.textContent = "";
      follow(full, function () { return full.currentTime; });
    });

    cues.forEach(function (cue) {
      cue.el.addEventListener("click", function (event) {
        var word = event.target.closest ? event.target.closest(".word") : null;
        var at = word ? parseFloat(word.dataset.start) : cue.start;
        full.currentTime = at;
        highlight(at);
        var played = full.play();
        if (played && played.catch) played.catch(function () {});
      });
    });
  }

  // Only one player sounds at a time, across all episodes.
  document.addEventListener("play", function (event) {
    document.querySelectorAll("audio").forEach(function (audio) {
      if (audio !== event.target && !audio.paused) audio.pause();
    });
  }, true);

  document.querySelectorAll("[data-episode]").forEach(setUpEpisode);
})();
