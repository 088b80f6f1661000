/*! MQTT Lab embed.js | MIT License | no dependencies
 *
 * Include once on a page with MQTT Lab widgets in iframes (?w=SLUG&embed=1):
 *   <script src="https://YOUR.SITE/widgets/mqtt/public/embed.js" async
 *           data-on-result="recordResult"></script>
 * It sizes every widget's iframe to fit, from the widget's
 * {type: "mqtt-lab:resize", height} messages; and it passes each result of
 * the knowledge checks, {type: "mqtt-lab:result", statement} (an xAPI-shaped
 * statement without actor), to the page: to the global function named by
 * data-on-result, called as f(statement, iframe), and as a "mqtt-lab:result"
 * event on the iframe (bubbling; event.detail is the statement).
 * A message counts only if it comes from an iframe of this page (its
 * contentWindow sent it) and from the origin of that iframe's src.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var state = window.mqttLabEmbed;
  if (!state) {
    state = window.mqttLabEmbed = { handlers: [] };
    window.addEventListener('message', onMessage);
    askForSizes();
  }
  var name = script && script.getAttribute('data-on-result');
  if (name && state.handlers.indexOf(name) < 0) state.handlers.push(name);

  function frames() {
    return Array.prototype.slice.call(document.getElementsByTagName('iframe'));
  }

  function srcOf(frame) {
    try { return new URL(frame.src, location.href); } catch (e) { return null; }
  }

  function onMessage(event) {
    var data = event.data;
    if (!data || typeof data.type !== 'string' || data.type.indexOf('mqtt-lab:') !== 0) return;
    var frame = frames().filter(function (f) { return f.contentWindow === event.source; })[0];
    var src = frame && srcOf(frame);
    if (!src || src.origin === 'null' || event.origin !== src.origin) return;
    if (data.type === 'mqtt-lab:resize') {
      var height = Number(data.height);
      if (height > 0 && height < 100000) frame.style.height = Math.ceil(height) + 'px';
    } else if (data.type === 'mqtt-lab:result' && data.statement && typeof data.statement === 'object') {
      state.handlers.forEach(function (path) {
        var f = path.split('.').reduce(function (o, key) { return o == null ? o : o[key]; }, window);
        if (typeof f !== 'function') return;
        try { f(data.statement, frame); } catch (e) { setTimeout(function () { throw e; }); }
      });
      frame.dispatchEvent(new CustomEvent('mqtt-lab:result', { bubbles: true, detail: data.statement }));
    }
  }

  // Widgets that settled before this script ran post their height again when asked.
  function askForSizes() {
    frames().forEach(function (frame) {
      var src = srcOf(frame);
      if (src && src.origin !== 'null' && /^(1|true)$/.test(src.searchParams.get('embed')) && frame.contentWindow) {
        frame.contentWindow.postMessage({ type: 'mqtt-lab:resize-request' }, src.origin);
      }
    });
  }
})();
