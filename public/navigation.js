// Moving between pages without a full reload. Every page is whole HTML from the server and every
// link and form works without this script; with it, a click on a link to one of our pages, a
// filter form or a form post fetches the next page, swaps its body and head in and hydrates
// its islands (window.__lcHydrate, from the bootstrap in each page's head). A refused form thus
// answers in place with the server's own messages, in the page's language, focus on its
// summary of problems, and the files chosen still chosen.
//
// A page of another build (its bootstrap differs) is loaded whole, so that its own bundle runs;
// anything that is not one of our pages (a feed, a download) is left to the browser. Leptos's
// islands router does the same job by diffing the two documents node by node; swapping the body
// keeps focus, scrolling and history in our hands.
(() => {
  // Elements of <head> that belong to a page rather than to the site.
  const PAGE_HEAD =
    "meta[name=description],meta[name=robots],meta[property^='og:'],link[rel=canonical],script[type='application/ld+json']";
  let latest = 0;
  const bare = (href) => href.split('#')[0];
  let shown = bare(location.href);

  // Our pages live under a language, /en/… (widgets under /embed/en/…); feeds, downloads and
  // files do not, or have an extension.
  const isPage = (url) =>
    url.origin === location.origin &&
    /^\/(embed\/)?[a-z]{2}(\/|$)/.test(url.pathname) &&
    !url.pathname.split('/').pop().includes('.');

  // Where a link or form goes: its own target, else the page's (a widget sends links to the
  // top window, but for those that say they stay).
  const targetOf = (el) =>
    el.getAttribute('target') || document.querySelector('base[target]')?.getAttribute('target');

  history.scrollRestoration = 'manual';

  addEventListener('click', (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    // An island that handles its links' clicks itself (the map's markers open a card).
    if (!(ev.target instanceof Element) || ev.target.closest('[data-own-clicks]')) return;
    const link = ev.target.closest('a[href]');
    if (!link) return;
    const target = targetOf(link);
    if (link.hasAttribute('download') || (target && target !== '_self')) return;
    if ((link.getAttribute('rel') || '').split(/\s+/).includes('external')) return;
    const url = new URL(link.getAttribute('href'), location.href);
    if (!isPage(url)) return;
    // A fragment of the page shown (a skip link, the table under the map): the browser
    // scrolls there and moves focus itself.
    if (url.hash && bare(url.href) === bare(location.href)) return;
    ev.preventDefault();
    go({ url: url.href }, null);
  });

  addEventListener('submit', (ev) => {
    const form = ev.target;
    if (ev.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    const target = targetOf(form);
    if (target && target !== '_self') return;
    const action = new URL(form.action, location.href);
    if (action.origin !== location.origin) return;
    // The button pressed is part of what is sent, as in a plain submission.
    const data = new FormData(form, ev.submitter);
    const method = form.method.toLowerCase();
    if (method === 'get') {
      if (!isPage(action)) return;
      action.search = new URLSearchParams(data).toString();
      action.hash = '';
      ev.preventDefault();
      go({ url: action.href }, null);
    } else if (method === 'post') {
      const body = form.enctype === 'multipart/form-data' ? data : new URLSearchParams(data);
      ev.preventDefault();
      go({ url: action.href, body, form }, null);
    }
  });

  // A snippet to copy (the embed builder): its text goes to the clipboard, and the button
  // says so.
  addEventListener('click', (ev) => {
    const button = ev.target instanceof Element && ev.target.closest('button[data-copy]');
    const field = button && document.getElementById(button.dataset.copy);
    if (!field) return;
    field.select();
    navigator.clipboard?.writeText(field.value).then(() => {
      button.dataset.label ||= button.textContent;
      button.textContent = '\u2713 ' + button.dataset.label;
    });
  });

  addEventListener('popstate', (ev) => {
    // Back from a fragment of the same page: the browser scrolls.
    if (bare(location.href) === shown) return;
    go({ url: location.href }, (ev.state && ev.state.y) || 0);
  });

  // Fetches the page of a visit and shows it; `back` is where to scroll to when it comes from
  // the history, else null.
  async function go(visit, back) {
    const n = ++latest;
    const root = document.documentElement;
    root.classList.add('navigating');
    let answer = null;
    try {
      const res = await fetch(visit.url, {
        method: visit.body ? 'POST' : 'GET',
        body: visit.body,
        headers: { Accept: 'text/html' },
      });
      // A post answered without a redirect is not a page with an address of its own.
      const html = (res.headers.get('content-type') || '').startsWith('text/html');
      if (html && !(visit.body && !res.redirected)) {
        const fragment = !res.redirected && visit.url.includes('#') ? '#' + visit.url.split('#')[1] : '';
        answer = { url: res.url + fragment, text: await res.text() };
      }
    } catch (e) {
      answer = null;
    }
    if (n !== latest) return;
    root.classList.remove('navigating');
    if (!answer) {
      // Left to the browser: the page loaded whole, or the form sent as without JavaScript.
      if (visit.form) visit.form.submit();
      else location.assign(visit.url);
      return;
    }
    if (!swap(answer.text, answer.url, back, visit.form)) location.assign(answer.url);
  }

  const bootstrap = (doc) => doc.querySelector('head script[type=module]:not([src])')?.textContent;

  function swap(text, url, back, form) {
    const next = new DOMParser().parseFromString(text, 'text/html');
    if (bootstrap(next) !== bootstrap(document)) return false;
    // A refused form comes back as its own page, its problems named: the address stays the
    // form's (no history entry per attempt, no flash key in the address bar), and the files
    // chosen stay chosen, as the server cannot send a file back.
    const refused = !!form && url.includes('__err=');
    const files = refused ? [...form.querySelectorAll('input[type=file]')].filter((f) => f.files.length) : [];
    if (back === null) history.replaceState({ y: scrollY }, '');

    document.title = next.title;
    for (const name of ['lang', 'dir']) {
      const value = next.documentElement.getAttribute(name);
      if (value === null) document.documentElement.removeAttribute(name);
      else document.documentElement.setAttribute(name, value);
    }
    document.head.querySelectorAll(PAGE_HEAD).forEach((e) => e.remove());
    next.head.querySelectorAll(PAGE_HEAD).forEach((e) => document.head.append(document.importNode(e, true)));
    document.body.replaceWith(document.importNode(next.body, true));
    for (const input of files) {
      document.querySelector(`input[type=file][name="${CSS.escape(input.name)}"]`)?.replaceWith(input);
    }
    if (back === null && !refused) {
      history.pushState(null, '', url);
      shown = bare(url);
    } else if (back !== null) {
      shown = bare(url);
    }
    if (window.__lcHydrate) window.__lcHydrate(document);
    // A map's script, which the swapped-in body names but does not run.
    if (document.querySelector('.world-map__live[data-map]')) import('/map.js').then((m) => m.start(document));
    viewerTimes();
    arrive(url, back);
    return true;
  }

  // A meeting's time in the reader's own zone, which only the browser knows, when it is not the
  // meeting's: the server writes the instant (seconds since the epoch) and the meeting's offset
  // from UTC ("+01:00") beside the label "Your time:", hidden.
  function viewerTimes() {
    const lang = document.documentElement.lang;
    for (const p of document.querySelectorAll('.viewer-time[hidden][data-start]')) {
      const start = new Date(p.dataset.start * 1000);
      const end = new Date(p.dataset.end * 1000);
      const m = /^([+-])(\d\d):(\d\d)$/.exec(p.dataset.offset || '');
      if (!m || -start.getTimezoneOffset() === (m[1] === '-' ? -1 : 1) * (m[2] * 60 + +m[3])) continue;
      const from = start.toLocaleString(lang, {
        weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
      });
      const to = end.toLocaleString(lang, { hour: '2-digit', minute: '2-digit' });
      p.append(` ${from} – ${to}`);
      p.hidden = false;
    }
  }
  viewerTimes();

  // Where the reader lands: the problems of a refused form, the fragment asked for, where they
  // were, or the top; focus follows, so that a screen reader reads the new page.
  function arrive(url, back) {
    const fragment = url.includes('#') ? decodeURIComponent(url.split('#')[1]) : '';
    const problems = [...document.querySelectorAll('.form-alert')].find((a) => a.textContent.trim());
    let target;
    if (back !== null) {
      scrollTo(0, back);
      target = document.getElementById('main');
    } else if (problems) {
      problems.scrollIntoView();
      target = problems;
    } else if (fragment && document.getElementById(fragment)) {
      target = document.getElementById(fragment);
      target.scrollIntoView();
    } else {
      scrollTo(0, 0);
      target = document.getElementById('main');
    }
    if (target) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: true });
    }
  }
})();
