// app.js - the SmartPick single-page app: hash routes, each rendering one page into <main>.
//
//   #/wizard            profile wizard                     (wizard.js)
//   #/assess            assessment and backup fit          (assess.js)
//   #/plan              the optimized plan                 (plan.js)
//   #/plans             saved plans; #/plans/ID; #/plans/compare/A/B   (plans.js)
//   #/programs          program browser                    (programs.js)
//   #/rank              rank-list tool                     (rank.js)
//   #/about             data sources                       (about.js)

import { h, clear } from './util.js';
import { announce } from './state.js';
import { loadVocab } from './vocab.js';
import { renderWizard } from './wizard.js';
import { renderAssess } from './assess.js';
import { renderPlanPage } from './plan.js';
import { renderPlans } from './plans.js';
import { renderPrograms } from './programs.js';
import { renderRank } from './rank.js';
import { renderAbout } from './about.js';

const ROUTES = {
  wizard: { title: 'Profile', render: renderWizard },
  assess: { title: 'Assessment', render: renderAssess },
  plan: { title: 'Plan', render: renderPlanPage },
  plans: { title: 'Saved plans', render: renderPlans },
  programs: { title: 'Programs', render: renderPrograms },
  rank: { title: 'Rank list', render: renderRank },
  about: { title: 'About', render: renderAbout },
};

let renderSeq = 0;

/* Each render gets a token; a page checks token.live() after each await so a slow answer
 * never draws over the page the user moved on to. */
export function currentToken() {
  const mine = renderSeq;
  return { live: () => mine === renderSeq };
}

function parseHash() {
  const raw = (location.hash || '').replace(/^#\/?/, '');
  const [path, query] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query || '');
  return { name: parts[0] || 'wizard', args: parts.slice(1), params };
}

async function route() {
  const { name, args, params } = parseHash();
  const r = ROUTES[name];
  const main = document.getElementById('main');
  renderSeq += 1;
  announce('');
  for (const a of document.querySelectorAll('.site-nav a')) {
    if (a.dataset.route === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!r) {
    clear(main).append(h('h1', { tabindex: '-1' }, 'Page not found'),
      h('p', {}, 'There is no page ', h('code', {}, location.hash), '. ', h('a', { href: '#/wizard' }, 'Start with your profile'), '.'));
    document.title = 'Not found — SmartPick';
    return;
  }
  document.title = `${r.title} — SmartPick`;
  // the server's specialties and plan options, fetched once (again after a failure)
  const token = currentToken();
  let vocabError = null;
  try {
    await loadVocab();
  } catch (e) {
    vocabError = e;
  }
  if (!token.live()) return;
  clear(main);
  if (vocabError) announce(vocabError.message, 'error');
  try {
    await r.render(main, args, params, token);
  } catch (e) {
    clear(main).append(h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, String(e && e.message ? e.message : e)));
    throw e;
  }
  // move focus to the page heading for screen readers and keyboards (not on first load)
  if (route.initialized) {
    const head = main.querySelector('h1');
    if (head && !main.contains(document.activeElement)) {
      if (!head.hasAttribute('tabindex')) head.setAttribute('tabindex', '-1');
      head.focus();
    }
  }
  route.initialized = true;
}

window.addEventListener('hashchange', route);
if (!location.hash) history.replaceState(null, '', '#/wizard');
route();
