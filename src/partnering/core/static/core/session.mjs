// Warn a signed-in person 2 minutes before they are signed out for inactivity (the server signs
// them out: core.middleware.SessionTimeoutMiddleware). "Stay signed in" makes a request, which
// counts as activity, and starts the clock again. Without JavaScript the sign-in page says the limit.
const WARN_BEFORE_MS = 2 * 60 * 1000

export function warnBeforeSignOut (doc = document, win = window) {
  const banner = doc.querySelector('[data-app-session-warning]')
  if (!banner) return
  const idleMs = Number(banner.dataset.idleSeconds) * 1000
  let timer
  const start = () => {
    win.clearTimeout(timer)
    timer = win.setTimeout(() => { banner.hidden = false }, Math.max(idleMs - WARN_BEFORE_MS, 1000))
  }
  banner.querySelector('[data-app-stay-signed-in]').addEventListener('click', async () => {
    await win.fetch('/healthz', { credentials: 'same-origin', cache: 'no-store' })
    banner.hidden = true
    start()
  })
  start()
}
