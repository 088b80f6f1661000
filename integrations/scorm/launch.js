/*
 * MQTT Lab SCORM 1.2 launch page (written into each package by scripts/scorm.sh).
 * MIT licence. It finds the LMS's SCORM API, passes on what the knowledge checks
 * report (their xAPI-shaped `mqtt-lab:result` messages) as SCORM data, and keeps the
 * learner's checked answers in cmi.suspend_data, which it hands back to the widget on
 * the next launch (`mqtt-lab:restore`).
 *
 *   answered statement  -> cmi.interactions.n.{id,type,student_response,result,weighting,time}
 *   completed statement -> cmi.core.score.raw (percent right over the tabs checked),
 *                          .min 0, .max 100; cmi.core.lesson_status "completed" once
 *                          every tab is checked, "incomplete" before
 *   every check         -> cmi.suspend_data {"v":1,"tabs":{TAB:{"responses":[...],"raw":R,"max":M}}}
 */
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('mqtt-lab-scorm').textContent);
  var status = document.getElementById('mqtt-lab-status');

  function findAPI(win) {
    for (var tries = 0; win && tries < 10; tries++) {
      try { if (win.API) return win.API; } catch (e) { /* another origin: look further up */ }
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  var api = findAPI(window) || (window.opener && findAPI(window.opener));
  function get(key) { return api ? String(api.LMSGetValue(key)) : ''; }
  function set(key, value) { if (api) api.LMSSetValue(key, String(value)); }

  var state = { v: 1, tabs: {} };
  if (api) {
    api.LMSInitialize('');
    try {
      var saved = JSON.parse(get('cmi.suspend_data') || '{}');
      if (saved && saved.v === 1 && saved.tabs) state = saved;
    } catch (e) { /* not ours: start afresh */ }
    var lesson = get('cmi.core.lesson_status');
    if (lesson === 'not attempted' || lesson === '') {
      // A package without knowledge checks is complete once seen.
      set('cmi.core.lesson_status', config.tabs.length ? 'incomplete' : 'completed');
    }
    // Leaving keeps the attempt open, so that the LMS resumes it.
    set('cmi.core.exit', 'suspend');
    api.LMSCommit('');
    status.textContent = '';
  } else {
    status.textContent = 'No learning management system found: your answers are not recorded.';
  }

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock() { var d = new Date(); return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()); }
  // xAPI's response separators to SCORM 1.2's: "[,]" -> ",", "[.]" -> ".".
  function scorm12Response(r) { return String(r).split('[,]').join(',').split('[.]').join('.'); }

  function report() {
    var raw = 0, max = 0, done = 0;
    config.tabs.forEach(function (tab) {
      var t = state.tabs[tab];
      if (t && typeof t.raw === 'number') { raw += t.raw; max += t.max; done++; }
    });
    if (max > 0) {
      set('cmi.core.score.min', 0);
      set('cmi.core.score.max', 100);
      set('cmi.core.score.raw', Math.round((100 * raw) / max));
    }
    set('cmi.core.lesson_status', done === config.tabs.length ? 'completed' : 'incomplete');
    set('cmi.suspend_data', JSON.stringify(state));
    if (api) api.LMSCommit('');
  }

  // tab and item number from an activity id: ...?w=exercises&tab=match#item-3
  function place(id) {
    var m = /[?&]tab=([a-z]+)(?:#item-(\d+))?$/.exec(id || '');
    return m ? { tab: m[1], item: m[2] ? Number(m[2]) : null } : null;
  }

  function onResult(statement) {
    var where = place(statement.object && statement.object.id);
    if (!where || config.tabs.indexOf(where.tab) < 0) return;
    var tab = state.tabs[where.tab] || (state.tabs[where.tab] = { responses: [] });
    var result = statement.result || {};
    if (where.item) {
      tab.responses[where.item - 1] = result.response;
      var n = Number(get('cmi.interactions._count')) || 0;
      var def = (statement.object.definition || {});
      set('cmi.interactions.' + n + '.id', 'exercises-' + where.tab + '-item-' + where.item);
      set('cmi.interactions.' + n + '.type', def.interactionType || 'other');
      set('cmi.interactions.' + n + '.student_response', scorm12Response(result.response));
      set('cmi.interactions.' + n + '.result', result.success ? 'correct' : 'wrong');
      set('cmi.interactions.' + n + '.weighting', result.score ? result.score.max : 1);
      set('cmi.interactions.' + n + '.time', clock());
    } else if (statement.verb && /\/completed$/.test(statement.verb.id)) {
      tab.raw = result.score ? result.score.raw : 0;
      tab.max = result.score ? result.score.max : 0;
      report();
    }
  }

  var frames = Array.prototype.slice.call(document.querySelectorAll('iframe[data-slug]'));
  var restored = [];
  window.addEventListener('message', function (event) {
    var frame = frames.filter(function (f) { return f.contentWindow === event.source; })[0];
    var data = event.data;
    if (!frame || !data || typeof data.type !== 'string') return;
    if (data.type === 'mqtt-lab:result' && data.statement) onResult(data.statement);
    // The widget is mounted once it reports its height: hand back the saved answers, once.
    if (data.type === 'mqtt-lab:resize' && frame.getAttribute('data-slug') === 'exercises' && restored.indexOf(frame) < 0) {
      restored.push(frame);
      Object.keys(state.tabs).forEach(function (tab) {
        frame.contentWindow.postMessage({ type: 'mqtt-lab:restore', tab: tab, responses: state.tabs[tab].responses.map(function (r) { return r == null ? null : r; }) }, new URL(frame.src, location.href).origin);
      });
    }
  });

  var finished = false;
  function finish() {
    if (finished || !api) return;
    finished = true;
    api.LMSCommit('');
    api.LMSFinish('');
  }
  window.addEventListener('pagehide', finish);
  window.addEventListener('beforeunload', finish);
})();
