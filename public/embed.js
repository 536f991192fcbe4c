// Learning City's widgets on another site. Where this script's tag is, it puts the widget its
// data attributes name, in a frame from the script's own origin, and keeps the frame as tall
// as the widget's content (the widget posts its height; only a message from that frame and
// that origin is heard). It touches nothing else of the page around it.
//
//   <script src="https://…/embed.js" data-widget="calendar" data-city="lucca" data-lang="it" async></script>
//
// Widgets: calendar (data-city or data-cluster, data-sector, data-audience, data-mode,
// data-language, data-view), meeting (data-meeting), map (data-cluster, data-region,
// data-country; data-city for a city's places), pact (data-city), adherents (data-city),
// badge (data-city, data-adherent). Look: data-accent, data-text, data-font ("host" for the
// page's own), data-radius, data-density, data-theme; data-lang; data-title; data-target (the
// id of the element to put the widget in).
(() => {
  const script = document.currentScript;
  if (!script || !script.src) return;
  const origin = new URL(script.src).origin;
  const d = script.dataset;
  const slug = (v) => (/^[a-z0-9-]{1,64}$/.test(v || '') ? v : null);
  const num = (v) => (/^[0-9]{1,12}$/.test(v || '') ? v : null);
  const q = new URLSearchParams();
  const copy = (keys) => keys.forEach((k) => d[k] && q.set(k, d[k]));
  const city = slug(d.city);
  let path = null;
  switch (d.widget) {
    case 'calendar':
      path = 'calendar';
      copy(['city', 'cluster', 'sector', 'audience', 'mode', 'language', 'view']);
      break;
    case 'meeting':
      path = num(d.meeting) && `meetings/${d.meeting}`;
      break;
    case 'map':
      path = city ? `cities/${city}/map` : 'map';
      if (!city) copy(['cluster', 'region', 'country']);
      break;
    case 'pact':
      path = city && `cities/${city}/pact/join`;
      break;
    case 'adherents':
      path = city && `cities/${city}/pact/adherents`;
      break;
    case 'badge':
      path = city && num(d.adherent) && `cities/${city}/pact/adherents/${d.adherent}`;
      break;
  }
  if (!path) {
    console.warn('Learning City: this widget needs data-widget and what it shows', script);
    return;
  }
  copy(['accent', 'text', 'radius', 'density', 'theme']);
  if (d.font === 'host') {
    // The page's own font names, as far as they are plain names; the widget falls back on the
    // device's fonts.
    const names = getComputedStyle(script.parentElement || document.body)
      .fontFamily.split(',')
      .map((n) => n.trim().replace(/^["']|["']$/g, ''))
      .filter((n) => /^[A-Za-z0-9 -]{1,40}$/.test(n) && !/^(-apple-system|system-ui|sans-serif|serif)$/.test(n));
    if (names.length) q.set('font', names.slice(0, 4).join(','));
  } else if (d.font) {
    q.set('font', d.font);
  }
  const lang = /^[a-z]{2}$/.test(d.lang || '') ? d.lang : 'en';
  const query = q.toString();
  const frame = document.createElement('iframe');
  frame.src = `${origin}/embed/${lang}/${path}${query ? '?' + query : ''}`;
  frame.title = d.title || 'Learning City';
  frame.style.display = 'block';
  frame.style.width = '100%';
  frame.style.border = '0';
  frame.style.height = d.widget === 'badge' ? '120px' : '480px';
  const id = Math.random().toString(36).slice(2);
  frame.setAttribute('data-lc', id);
  const hello = () => frame.contentWindow?.postMessage({ lc: 'hello', id }, origin);
  frame.addEventListener('load', hello);
  addEventListener('message', (ev) => {
    const m = ev.data;
    if (ev.origin !== origin || ev.source !== frame.contentWindow) return;
    if (!m || m.lc !== 'size' || m.id !== id || typeof m.height !== 'number') return;
    frame.style.height = `${Math.max(0, Math.min(Math.ceil(m.height), 20000))}px`;
  });
  const place = d.target && document.getElementById(d.target);
  if (place) place.append(frame);
  else script.after(frame);
})();
