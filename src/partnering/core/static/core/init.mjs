import { initAll } from '../govuk/govuk-frontend.min.js'
import { pollUntilGone } from './poll.mjs'

initAll()
pollUntilGone()
