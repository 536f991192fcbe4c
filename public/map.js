// The live map. The server draws the world map with a marker per city, each a link to its city,
// and that is what a reader without JavaScript uses. With this script the map pans and zooms
// (mouse, wheel, touch, keyboard), shows nearby cities as one numbered group that splits as you
// zoom in, and opens a city's card on tap or focus. It reads the cities, their groups per zoom
// level and their cards from the map's data (one cacheable answer per filter and language,
// named by the page) after the page has loaded; its words come from the page, so no
// translations ship here. A plain script rather than WebAssembly: the smallest island Leptos
// makes weighs 70 KB compressed, this file a twentieth of it.
//
// Loaded by map pages; navigation.js calls `start` on a map page it swaps in.

const SVG = 'http://www.w3.org/2000/svg';
/** On-screen radius of a marker, in CSS pixels (the server draws the same). */
const MARKER_PX = 7;
/** The closest zoom: a 64th of the whole map's width. */
const CLOSEST = 64;

const box = (text) => {
  const [x, y, width, height] = text.split(/\s+/).map(Number);
  return { x, y, width, height };
};
const round = (n) => String(Math.round(n * 100) / 100);
const attr = (v) => [v.x, v.y, v.width, v.height].map(round).join(' ');

// The view kept inside the map: centred along an axis the view is wider than, else clamped.
function clamp(v, full) {
  const fit = (start, len, lo, fullLen) =>
    len >= fullLen ? lo + (fullLen - len) / 2 : Math.min(Math.max(start, lo), lo + fullLen - len);
  return { ...v, x: fit(v.x, v.width, full.x, full.width), y: fit(v.y, v.height, full.y, full.height) };
}

// Zooms by `factor` about the map point `at`, which stays where it is on screen, showing at most
// `most` of the map's width.
function zoomAt(v, full, factor, at, most = full.width) {
  if (!Number.isFinite(factor) || factor <= 0) return v;
  const width = Math.min(Math.max(v.width / factor, full.width / CLOSEST), most);
  const scale = width / v.width;
  return clamp(
    { x: at[0] - (at[0] - v.x) * scale, y: at[1] - (at[1] - v.y) * scale, width, height: v.height * scale },
    full,
  );
}

const pan = (v, full, dx, dy) => clamp({ ...v, x: v.x + dx, y: v.y + dy }, full);

// The zoom level whose groups suit a view: 0 while the whole map is about 512 pixels wide,
// one more each time it doubles (the levels the server grouped the cities at).
function level(v, full, pixels, deepest) {
  const z = Math.floor(Math.log2((pixels * full.width) / v.width / 512));
  return Number.isNaN(z) || z < 0 ? 0 : Math.min(z, deepest);
}

// The view of height/width `aspect` centred on `at` that is `width` wide, at most `most`.
function around(full, at, width, aspect, most) {
  const w = Math.min(width, most);
  return clamp({ x: at[0] - w / 2, y: at[1] - (w * aspect) / 2, width: w, height: w * aspect }, full);
}

// The part of the map that shows every point with a margin, in the frame's proportions, at most
// eight times closer than the widest view.
function fitTo(full, points, aspect, most) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const margin = full.width / 25;
  let width = Math.max(x1 - x0 + 2 * margin, full.width / 8);
  const tall = y1 - y0 + 2 * margin;
  if (tall > width * aspect) width = tall / aspect;
  return around(full, [(x0 + x1) / 2, (y0 + y1) / 2], width, aspect, most);
}

function el(name, attrs = {}, ns = SVG) {
  const e = ns ? document.createElementNS(ns, name) : document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}
const html = (name, attrs, text) => {
  const e = el(name, attrs, null);
  if (text != null) e.textContent = text;
  return e;
};

/** Makes every map under `root` live that is not yet. */
export function start(root) {
  for (const slot of root.querySelectorAll('.world-map__live[data-map]')) {
    if (slot.dataset.started) continue;
    slot.dataset.started = '1';
    fetch(slot.dataset.map)
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => data && live(slot, data))
      .catch(() => {}); // The server-drawn map stays.
  }
}

function live(slot, data) {
  const words = slot.dataset;
  const lang = words.lang;
  const full = box(words.full);
  let view = box(words.view);
  let pixels = 0;
  // The frame's height over its width. A phone's frame is taller than the world (style/main.css):
  // the view then takes the frame's proportions and shows part of the world, at most its
  // whole height, rather than the whole world as a thin strip of crowded markers.
  let aspect = full.height / full.width;
  const widest = () => (aspect > full.height / full.width ? full.height / aspect : full.width);
  // A view in the frame's proportions about the same centre, showing at least as much.
  const framed = (v) =>
    around(full, [v.x + v.width / 2, v.y + v.height / 2], Math.max(v.width, v.height / aspect), aspect, widest());
  let dragged = false;
  const pointers = new Map();
  const deepest = data.levels.length - 1;

  // The server-drawn map becomes the live one: its picture of the world stays in place, so the
  // browser neither lays out a second map nor paints the base map again; its markers make way.
  const figure = slot.closest('figure');
  const frame = figure?.querySelector('#world-map-static');
  const svg = frame?.querySelector('svg');
  if (!svg) return;
  frame.removeAttribute('id');
  svg.setAttribute('class', 'world-map__svg world-map__svg--live');
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', `${words.lMap} ${words.lKeys}`);
  svg.setAttribute('tabindex', '0');
  // navigation.js leaves clicks on markers to the map (they open cards).
  const markers = el('g', { class: 'markers', 'data-own-clicks': '' });
  svg.querySelector('g.markers').replaceWith(markers);
  const tools = html('div', { class: 'map-tools' });
  const button = (text, label, act) => {
    const b = html('button', { type: 'button' }, text);
    if (label) b.setAttribute('aria-label', label);
    b.addEventListener('click', act);
    tools.append(b);
  };
  button('+', words.lIn, () => zoomBy(2));
  button('−', words.lOut, () => zoomBy(0.5));
  button(words.lReset, null, () => show(full));
  frame.after(tools);
  const cardSlot = html('div', { class: 'map-card-slot', 'aria-live': 'polite' });
  slot.append(cardSlot);
  // The server's card (a search that found one city) makes way for the live one, and the legend
  // explains groups.
  figure.querySelector('#map-card-static')?.remove();
  figure.classList.add('world-map--live');

  let shownLevel = null;
  function show(next) {
    view = framed(next);
    svg.setAttribute('viewBox', attr(view));
    const z = pixels > 0 ? level(view, full, pixels, deepest) : 0;
    if (z !== shownLevel) {
      shownLevel = z;
      draw(z);
    }
    const scale = (view.width / Math.max(pixels, 1)) * MARKER_PX;
    for (const g of markers.querySelectorAll('[data-at]')) {
      g.setAttribute('transform', `translate(${g.dataset.at}) scale(${Math.round(scale * 1000) / 1000})`);
    }
  }
  const zoomIn = (v, factor, at) => zoomAt(v, full, factor, at, widest());
  const zoomBy = (factor) => show(zoomIn(view, factor, [view.x + view.width / 2, view.y + view.height / 2]));

  const placed = (x, y) => el('g', { 'data-at': `${round(x)} ${round(y)}` });

  function draw(z) {
    markers.replaceChildren();
    for (const group of data.levels[z] || []) {
      if (group.members.length === 1) {
        markers.append(cityMarker(group.members[0]));
      } else {
        markers.append(groupMarker(group));
      }
    }
  }

  function cityMarker(i) {
    const city = data.cities[i];
    const lead = city.roles.some((r) => r[2]);
    const [d, fill] = city.mark == null ? data.unmarked : data.marks[city.mark % data.marks.length];
    const outer = el('g', { class: lead ? 'marker marker--lead' : 'marker' });
    const link = el('a', { href: `/${lang}/cities/${city.slug}`, 'aria-label': city.label });
    link.addEventListener('click', (ev) => {
      // A click with a modifier opens the city's page, as a link does.
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      if (!dragged) open(i);
    });
    link.addEventListener('focus', () => open(i));
    const g = placed(city.x, city.y);
    // An unseen disc 24 px across (WCAG 2.2's target size) around the 14 px mark: groups keep
    // markers about that far apart at every zoom level.
    g.append(el('circle', { class: 'marker__hit', r: '1.75' }));
    if (lead) g.append(el('circle', { class: 'marker__ring', r: '1.9' }));
    g.append(el('path', { class: 'marker__shape', d, fill }));
    link.append(g);
    outer.append(link);
    return outer;
  }

  function groupMarker(group) {
    const outer = el('g', {
      class: 'group',
      role: 'button',
      tabindex: '0',
      'aria-label': words.lGroup.replace('{count}', String(group.members.length)),
    });
    // Always closer than now: a group splits when it is opened.
    const enter = () => {
      if (dragged) return;
      const fitted = fitTo(full, group.members.map((i) => [data.cities[i].x, data.cities[i].y]), aspect, widest());
      show(fitted.width < view.width / 1.5 ? fitted : zoomIn(view, 2, [group.x, group.y]));
    };
    outer.addEventListener('click', enter);
    outer.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        ev.stopPropagation();
        enter();
      }
    });
    const g = placed(group.x, group.y);
    g.append(el('circle', { class: 'marker__hit', r: '1.75' }), el('circle', { class: 'group__disc', r: '1.6' }));
    const count = el('text', { class: 'group__count', y: '.45', 'text-anchor': 'middle' });
    count.textContent = String(group.members.length);
    g.append(count);
    outer.append(g);
    return outer;
  }

  // The card of a chosen city: who it is, its clusters and roles, since when it is a member and
  // where to go next (the server draws the same card for a search that found one city).
  function open(i) {
    const city = data.cities[i];
    if (!city) return close();
    const card = html('section', { class: 'map-card', 'aria-labelledby': 'map-card-title' });
    card.append(html('h2', { id: 'map-card-title' }, city.name), html('p', { class: 'muted' }, city.country));
    if (city.roles.length) {
      const list = html('ul', { class: 'tags' });
      for (const [cluster, name, lead] of city.roles) {
        const item = html('li', lead ? { class: 'lead' } : {});
        item.append(html('a', { href: `/${lang}/clusters/${cluster}` }, name));
        if (lead) item.append(` (${words.lLead})`);
        list.append(item);
      }
      card.append(list);
    }
    if (city.joined) card.append(html('p', {}, city.joined));
    const links = html('p', { class: 'map-card__links' });
    const page = `/${lang}/cities/${city.slug}`;
    links.append(
      html('a', { href: page }, words.lPage),
      html('a', { href: `${page}/calendar` }, words.lCalendar),
      html('a', { href: `${page}/pact` }, words.lPact),
    );
    const shut = html('button', { type: 'button', class: 'button--secondary' }, words.lClose);
    shut.addEventListener('click', close);
    card.append(links, shut);
    cardSlot.replaceChildren(card);
  }
  function close() {
    cardSlot.replaceChildren();
  }

  // A client position (CSS pixels) as a map point.
  function mapPoint(cx, cy) {
    const r = svg.getBoundingClientRect();
    if (r.width <= 0) return null;
    return [view.x + ((cx - r.left) / r.width) * view.width, view.y + ((cy - r.top) / r.height) * view.height];
  }

  svg.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const step = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, -0.1], ArrowDown: [0, 0.1] }[ev.key];
    if (ev.key === '+' || ev.key === '=') zoomBy(2);
    else if (ev.key === '-' || ev.key === '_') zoomBy(0.5);
    else if (step) show(pan(view, full, step[0] * view.width, step[1] * view.height));
    else if (ev.key === '0' || ev.key === 'Home') show(full);
    else if (ev.key === 'Escape') close();
    else return;
    ev.preventDefault();
  });
  // Not passive: the page must not scroll while the map zooms.
  svg.addEventListener(
    'wheel',
    (ev) => {
      ev.preventDefault();
      const at = mapPoint(ev.clientX, ev.clientY);
      // A notch of a mouse wheel (about 100 pixels) zooms by a quarter; trackpads send smaller
      // steps and zoom smoothly.
      if (at) show(zoomIn(view, Math.exp(-ev.deltaY * 0.0023), at));
    },
    { passive: false },
  );
  svg.addEventListener('pointerdown', (ev) => {
    pointers.set(ev.pointerId, [ev.clientX, ev.clientY]);
    dragged = false;
  });
  svg.addEventListener('pointermove', (ev) => {
    const before = pointers.get(ev.pointerId);
    if (!before) return;
    const [x, y] = [ev.clientX, ev.clientY];
    const perPx = view.width / Math.max(pixels, 1);
    if (pointers.size === 1) {
      if (!dragged && Math.abs(x - before[0]) + Math.abs(y - before[1]) <= 3) return;
      dragged = true;
      show(pan(view, full, (before[0] - x) * perPx, (before[1] - y) * perPx));
    } else if (pointers.size === 2) {
      const other = [...pointers].find(([id]) => id !== ev.pointerId)[1];
      const old = Math.hypot(before[0] - other[0], before[1] - other[1]);
      const now = Math.hypot(x - other[0], y - other[1]);
      const at = mapPoint((x + other[0]) / 2, (y + other[1]) / 2);
      if (old > 0 && now > 0 && at) {
        dragged = true;
        show(zoomIn(view, now / old, at));
      }
    }
    pointers.set(ev.pointerId, [x, y]);
  });
  const up = (ev) => pointers.delete(ev.pointerId);
  for (const type of ['pointerup', 'pointercancel', 'pointerleave']) svg.addEventListener(type, up);

  let measured = '';
  const measure = () => {
    // A page navigation.js has swapped away.
    if (!slot.isConnected) return removeEventListener('resize', measure);
    const { width: w, height: h } = svg.getBoundingClientRect();
    if (w > 0 && h > 0 && `${w} ${h}` !== measured) {
      measured = `${w} ${h}`;
      pixels = w;
      // A frame within a few per cent of the world's proportions (the border) shows it whole.
      aspect = Math.abs((h / w) * (full.width / full.height) - 1) < 0.03 ? full.height / full.width : h / w;
      shownLevel = null;
      show(view);
    }
  };
  addEventListener('resize', measure);
  // Measured once the live map is in the page, then drawn once at the level its width calls for.
  measure();
  if (!pixels) show(view);
  if (words.selected !== undefined) open(Number(words.selected));
}

start(document);
