import { initAll } from '../govuk/govuk-frontend.min.js'
import { pollUntilGone } from './poll.mjs'
import { warnBeforeSignOut } from './session.mjs'

initAll()
pollUntilGone()
warnBeforeSignOut()
