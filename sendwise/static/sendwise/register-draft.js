// Keeps what was typed into a session register that is left before it is saved (the page
// navigated away from, the tab closed, the connection lost on submit) and puts it back when the
// register is opened again. Progressive enhancement: without JavaScript the register works as
// before (a failed submit keeps its values because the server renders them again).
//
// The draft is saved in this browser's localStorage under the signed-in user, group, date and
// time (the form's data-draft-key), with the server's time when the page was drawn. It is:
// - put back on load, with a notice saying so and a button to discard it;
// - dropped when the session has been recorded since the draft's page was drawn (a successful
//   submit, by this user or another: what is saved wins), when the server sent the form back
//   with errors (the page already shows what was typed), when it is over a day old, when
//   someone else opens a register in this browser, and when the user signs out (init.js).
const PREFIX = 'sendwise-register:'
const MAX_AGE_SECONDS = 24 * 60 * 60

function read (key) {
  try {
    return JSON.parse(window.localStorage.getItem(PREFIX + key))
  } catch (error) {
    return null
  }
}

function write (key, draft) {
  try {
    window.localStorage.setItem(PREFIX + key, JSON.stringify(draft))
  } catch (error) {
    // Storage full or switched off: the register still works, only without drafts.
  }
}

function forget (key) {
  try {
    window.localStorage.removeItem(PREFIX + key)
  } catch (error) {}
}

function fields (form) {
  return Array.from(form.elements).filter((el) =>
    el.name && el.name !== 'csrfmiddlewaretoken' && el.type !== 'hidden' &&
    el.type !== 'submit' && el.type !== 'button' && el.type !== 'file'
  )
}

function values (form) {
  const found = {}
  for (const el of fields(form)) {
    if (el.type === 'checkbox') {
      found[el.name] = found[el.name] || []
      if (el.checked) found[el.name].push(el.value)
    } else if (el.type === 'radio') {
      if (el.checked) found[el.name] = el.value
    } else {
      found[el.name] = el.value
    }
  }
  return found
}

function restore (form, saved) {
  for (const el of fields(form)) {
    if (!(el.name in saved)) continue
    const value = saved[el.name]
    if (el.type === 'checkbox') {
      el.checked = Array.isArray(value) && value.includes(el.value)
    } else if (el.type === 'radio') {
      el.checked = el.value === value
    } else {
      el.value = value
    }
    if (el.checked || (el.type !== 'checkbox' && el.type !== 'radio')) {
      el.dispatchEvent(new Event('change', { bubbles: true }))
    }
    const details = el.closest('details')
    if (details && el.value && el.type !== 'radio' && el.type !== 'checkbox') details.open = true
  }
}

// Drafts of anyone else who used this browser, and drafts over a day old, are removed.
function tidy (key, now) {
  const mine = PREFIX + key.split(':')[0] + ':'
  try {
    for (const stored of Object.keys(window.localStorage)) {
      if (!stored.startsWith(PREFIX)) continue
      const draft = read(stored.slice(PREFIX.length))
      if (!stored.startsWith(mine) || !draft || now - draft.drawnAt > MAX_AGE_SECONDS) {
        window.localStorage.removeItem(stored)
      }
    }
  } catch (error) {}
}

function start () {
  const marked = document.querySelector('[data-draft-key]')
  if (marked) tidy(marked.dataset.draftKey, Number(marked.dataset.renderedAt || Date.now() / 1000))
  const done = document.querySelector('[data-draft-done]')
  if (done) {
    forget(done.dataset.draftKey) // the session is recorded and shown: nothing to keep
    return
  }
  const form = document.querySelector('form[data-draft-key]')
  if (!form) return
  const key = form.dataset.draftKey
  const drawnAt = Number(form.dataset.renderedAt)
  const recordedAt = Number(form.dataset.recordedAt || 0)
  const draft = read(key)
  const serverSentErrors = document.querySelector('.govuk-error-summary') !== null
  if (draft) {
    const stale = recordedAt >= draft.drawnAt || drawnAt - draft.drawnAt > MAX_AGE_SECONDS
    if (stale || serverSentErrors) {
      forget(key)
    } else {
      restore(form, draft.values)
      const notice = document.querySelector('[data-draft-notice]')
      if (notice) {
        notice.querySelector('[data-draft-time]').textContent = new Date(
          draft.savedAt
        ).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
        notice.hidden = false
        notice.querySelector('[data-draft-discard]').addEventListener('click', () => {
          forget(key)
          window.location.reload()
        })
      }
    }
  }
  let drawn = drawnAt
  const current = read(key)
  if (current && !serverSentErrors) drawn = current.drawnAt // keep the first page's time
  const save = () => write(key, { drawnAt: drawn, savedAt: Date.now(), values: values(form) })
  form.addEventListener('input', save)
  form.addEventListener('change', save)
  window.addEventListener('pagehide', () => {
    if (read(key)) save()
  })
}

start()
