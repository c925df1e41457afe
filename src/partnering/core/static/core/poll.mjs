// Progressive enhancement for a page waiting on background work (never <meta refresh>): while an
// element marked data-app-poll-until-gone is on the page, fetch the page again every few seconds
// and reload it once that element is gone. Without JavaScript the page has a link to refresh it.
const POLL_MS = 3000

export function pollUntilGone (doc = document, win = window) {
  const marker = doc.querySelector('[data-app-poll-until-gone]')
  if (!marker) return
  const check = async () => {
    try {
      const response = await win.fetch(win.location.href, { cache: 'no-store', credentials: 'same-origin' })
      const page = new win.DOMParser().parseFromString(await response.text(), 'text/html')
      if (!page.querySelector('[data-app-poll-until-gone]')) {
        win.location.reload()
        return
      }
    } catch (error) {
      // Offline for a moment: try again.
    }
    win.setTimeout(check, POLL_MS)
  }
  win.setTimeout(check, POLL_MS)
}
