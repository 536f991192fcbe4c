// Inside a widget: keeps the frame around it as tall as its content. The page that framed it
// (public/embed.js) says hello from its own origin; from then on each change of this page's
// height is posted to that origin alone. A message from any other window is ignored, and
// without a hello nothing is sent.
(() => {
  if (window.parent === window) return;
  let host = null;
  let id = null;
  let sent = -1;
  const send = () => {
    if (!host) return;
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === sent) return;
    sent = height;
    window.parent.postMessage({ lc: 'size', id, height }, host);
  };
  addEventListener('message', (ev) => {
    const m = ev.data;
    if (ev.source !== window.parent || !m || m.lc !== 'hello' || typeof m.id !== 'string') return;
    host = ev.origin;
    id = m.id;
    sent = -1;
    send();
  });
  // Resize observations arrive after layout and before paint: the host hears of a new height
  // in the frame that shows it.
  new ResizeObserver(send).observe(document.documentElement);
})();
