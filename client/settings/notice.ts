/**
 * A short message that outlives the page it was raised on (e.g. "Board deleted" after
 * navigating home): a toast in the document body, removed after a few seconds or on click.
 */
export function showNotice(message: string, durationMs = 8000): void {
  document.querySelector('.app-notice')?.remove();
  const toast = document.createElement('div');
  toast.className = 'app-notice';
  toast.setAttribute('role', 'status');
  const text = document.createElement('span');
  text.textContent = message;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'icon-button';
  close.setAttribute('aria-label', 'Dismiss');
  close.textContent = '×';
  close.addEventListener('click', () => toast.remove());
  toast.append(text, close);
  document.body.append(toast);
  setTimeout(() => toast.remove(), durationMs);
}
