// A form with data-busy-label shows that it is working once sent: its button is disabled (no double
// submit) and says so, e.g. "Looking up on arXiv…", until the answer replaces the page.
document.addEventListener('submit', (event) => {
  const form = event.target instanceof HTMLFormElement && event.target.dataset.busyLabel ? event.target : null;
  const button = form?.querySelector('button[type=submit]');
  if (!form || !button || event.defaultPrevented) return;
  button.dataset.idleLabel = button.textContent;
  button.textContent = form.dataset.busyLabel;
  form.setAttribute('aria-busy', 'true');
  // Disabled after the submit event has started the submission, so the form is still sent.
  setTimeout(() => (button.disabled = true));
});

// Coming back to the page from the history shows the form ready again.
window.addEventListener('pageshow', () => {
  for (const form of document.querySelectorAll('form[aria-busy=true]')) {
    const button = form.querySelector('button[type=submit]');
    form.removeAttribute('aria-busy');
    button.disabled = false;
    button.textContent = button.dataset.idleLabel;
  }
});
