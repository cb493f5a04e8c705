// Small DOM helpers shared by the views: building elements, announcing to
// screen readers, error toasts, a modal confirmation, copy and download.

export const $ = (id) => document.getElementById(id);

// el('li', {class: 'x', onclick: f}, 'text', child...): attributes whose
// name starts with "on" become listeners; null children are skipped.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// Says `text` to screen readers (the polite live region).
export function announce(text) {
  const region = $('announcer');
  region.textContent = '';
  // A new text node each time, so that the same words are read again.
  setTimeout(() => {
    region.textContent = text;
  }, 30);
}

// Shows an error (or a notice with kind 'info') for a few seconds.
export function toast(text, kind = 'error') {
  const box = $('toasts');
  const item = el('div', { class: `toast ${kind}` }, text);
  const close = el('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss' }, '×');
  close.addEventListener('click', () => item.remove());
  item.append(close);
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

// A modal question; resolves true when confirmed. `extra` (a node) goes
// between the text and the buttons, e.g. a password field.
export function confirmDialog(title, text, okLabel = 'OK', extra = null) {
  const dialog = $('confirm-dialog');
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = okLabel;
  const box = $('confirm-extra');
  box.replaceChildren(...(extra ? [extra] : []));
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    const field = box.querySelector('input');
    (field || $('confirm-ok')).focus();
  });
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    toast('copied', 'info');
  } catch {
    toast('the browser did not allow copying; select the text and copy it by hand');
  }
}

export function download(fileName, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = el('a', { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// A count beside a navigation link: hidden when there is nothing to count
// (never a "0").
export function setBadge(id, n, label = `${n} new`) {
  const b = $(id);
  b.textContent = n > 0 ? String(n) : '';
  b.hidden = !(n > 0);
  if (n > 0) b.setAttribute('aria-label', label);
  else b.removeAttribute('aria-label');
}

// Runs `work` with the form's submit buttons disabled.
export async function busy(form, work) {
  const buttons = [...form.querySelectorAll('button')];
  buttons.forEach((b) => (b.disabled = true));
  try {
    return await work();
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}
