// The recovery-codes page: copy the codes, and "Continue" only once they are saved.
// A static file, not an inline script, so that a strict Content-Security-Policy holds.
(function () {
  'use strict'

  function copyText (text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text)
    }
    // Older browsers and plain-HTTP hubs: copy from a selection.
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.appendChild(area)
    area.select()
    const done = document.execCommand('copy')
    document.body.removeChild(area)
    return done ? Promise.resolve() : Promise.reject(new Error('copy refused'))
  }

  function init () {
    const codes = document.getElementById('recovery_codes')
    const copy = document.getElementById('codes_copy')
    const status = document.getElementById('codes_copy_status')
    if (codes && copy) {
      copy.hidden = false
      copy.addEventListener('click', function () {
        copyText(codes.textContent.trim()).then(function () {
          if (status) status.textContent = copy.dataset.copied
        }).catch(function () {})
      })
    }
    const saved = document.getElementById('codes_saved')
    const next = document.getElementById('codes_continue')
    if (saved && next) {
      const sync = function () { next.disabled = !saved.checked }
      saved.addEventListener('change', sync)
      sync()
      // The form only carries the tick: go to its page without a bare "?" in the address.
      next.form.addEventListener('submit', function (event) {
        event.preventDefault()
        if (saved.checked) window.location.assign(next.form.action)
      })
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init)
  } else {
    init()
  }
})()
