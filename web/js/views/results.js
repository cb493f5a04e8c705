// A poll's results (the TALLY lines of a RESULTS reply) as a bar chart in
// plain SVG, with the numbers written out beside each bar.
import { el } from '../ui.js';

const SVG = 'http://www.w3.org/2000/svg';

function bar(fraction) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 100 10');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('class', 'bar');
  svg.setAttribute('aria-hidden', 'true');
  const track = document.createElementNS(SVG, 'rect');
  track.setAttribute('width', '100');
  track.setAttribute('height', '10');
  track.setAttribute('class', 'track');
  const fill = document.createElementNS(SVG, 'rect');
  fill.setAttribute('width', String(Math.round(fraction * 1000) / 10));
  fill.setAttribute('height', '10');
  fill.setAttribute('class', 'fill');
  svg.append(track, fill);
  return svg;
}

// `reply` is an OK RESULTS reply.
export function resultsChart(reply, title = '') {
  const rows = reply.data
    .filter((d) => d[0] === 'TALLY')
    .map((d) => ({ n: d[2], votes: Number(d[3]), label: d[4] ?? '' }));
  const total = rows.reduce((s, r) => s + r.votes, 0);
  const ballots = Number(reply.param(1));
  const eligible = Number(reply.param(2));
  const top = Math.max(0, ...rows.map((r) => r.votes));
  return el(
    'figure',
    { class: 'results', 'data-poll': reply.param(0) },
    el('figcaption', {}, `${title ? title + ': ' : ''}${ballots} of ${eligible} voters voted`),
    el(
      'ol',
      { class: 'plain' },
      rows.map((r) => {
        const share = total > 0 ? r.votes / total : 0;
        return el(
          'li',
          { class: 'result' + (r.votes === top && top > 0 ? ' lead' : ''), 'data-option': r.n },
          el('span', { class: 'label' }, `${r.n}. ${r.label}`),
          bar(share),
          el('span', { class: 'count' }, `${r.votes} ${r.votes === 1 ? 'vote' : 'votes'} (${Math.round(share * 100)}%)`),
        );
      }),
    ),
  );
}
