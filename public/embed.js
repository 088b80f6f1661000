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
 * Each height is acknowledged ({type: "mqtt-lab:resize-ack"}), so the widget
 * stops repeating it; a frame is asked for its height when this script runs
 * and again on each frame's load event, whatever loaded first. A frame that
 * grows or shrinks while it is above the reader's view (a lazy frame loaded
 * late) keeps the page where the reader is, in browsers without scroll
 * anchoring too.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var state = window.mqttLabEmbed;
  if (!state) {
    state = window.mqttLabEmbed = { handlers: [] };
    window.addEventListener('message', onMessage);
    // A frame's load event does not bubble, but a listener that captures sees
    // it, for the frames added later too.
    document.addEventListener('load', function (event) {
      if (event.target && event.target.tagName === 'IFRAME') ask(event.target);
    }, true);
    frames().forEach(ask);
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
      if (height > 0 && height < 100000) {
        resize(frame, Math.ceil(height));
        event.source.postMessage({ type: 'mqtt-lab:resize-ack', height: height }, event.origin);
      }
    } else if (data.type === 'mqtt-lab:result' && data.statement && typeof data.statement === 'object') {
      state.handlers.forEach(function (path) {
        var f = path.split('.').reduce(function (o, key) { return o == null ? o : o[key]; }, window);
        if (typeof f !== 'function') return;
        try { f(data.statement, frame); } catch (e) { setTimeout(function () { throw e; }); }
      });
      frame.dispatchEvent(new CustomEvent('mqtt-lab:result', { bubbles: true, detail: data.statement }));
    }
  }

  // A frame wholly above the view changes the page's length above the reader:
  // scroll by as much, unless the browser's scroll anchoring already does.
  function resize(frame, height) {
    var before = frame.getBoundingClientRect();
    frame.style.height = height + 'px';
    if (before.bottom > 0 || anchoring()) return;
    window.scrollBy(0, frame.getBoundingClientRect().height - before.height);
  }

  function anchoring() {
    return !!(window.CSS && CSS.supports && CSS.supports('overflow-anchor', 'auto')) &&
      getComputedStyle(document.documentElement).overflowAnchor !== 'none';
  }

  // Widgets that settled before this script ran post their height again when
  // asked. A frame still at its first, empty document (about:blank, of this
  // page's origin) is not asked: postMessage would log that its origin is not
  // the widget's. Its load event asks it instead.
  function ask(frame) {
    var src = srcOf(frame);
    if (!src || src.origin === 'null' || !/^(1|true)$/.test(src.searchParams.get('embed')) || !frame.contentWindow) return;
    var doc = frame.contentDocument;
    // Readable only while of this page's origin: then it must be the widget's too.
    if (doc && doc.location && doc.location.origin !== src.origin) return;
    frame.contentWindow.postMessage({ type: 'mqtt-lab:resize-request' }, src.origin);
  }
})();
