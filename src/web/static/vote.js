// Sends vote forms with fetch() and updates the count in place; a refusal (a new account's wait, a rate
// limit) is said next to the button. Without JavaScript the forms post normally.
document.addEventListener('submit', async (event) => {
  const form = event.target instanceof HTMLFormElement && event.target.matches('form.vote') ? event.target : null;
  if (!form) return;
  event.preventDefault();
  const button = form.querySelector('button');
  const body = new URLSearchParams(new FormData(form, event.submitter ?? button));
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      body,
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    });
    const result = await response.json();
    if (typeof result.upvotes === 'number') show(form, result.voted, result.upvotes);
    say(form, response.ok || response.status === 409 ? '' : (result.error ?? 'Voting failed; try again.'));
  } catch {
    form.submit();
  } finally {
    button.disabled = false;
  }
});

function show(form, voted, upvotes) {
  const button = form.querySelector('button');
  form.classList.toggle('voted', voted);
  button.value = voted ? 'down' : 'up';
  button.setAttribute('aria-pressed', String(voted));
  button.title = voted ? 'Remove your upvote' : 'Upvote';
  form.querySelector('.vote-count').textContent = String(upvotes);
}

/** Shows `message` beside the vote button (an empty one removes it): a tooltip alone goes unnoticed. */
function say(form, message) {
  let note = form.nextElementSibling?.classList.contains('vote-message') ? form.nextElementSibling : null;
  if (!message) return note?.remove();
  if (!note) {
    note = document.createElement('p');
    note.className = 'vote-message error';
    note.setAttribute('role', 'alert');
    form.after(note);
  }
  note.textContent = message;
}
