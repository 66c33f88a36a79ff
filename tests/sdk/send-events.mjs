// Sends one customer's story through each official SDK, used as its README shows, to a Waymark gateway.
//
//   node tests/sdk/send-events.mjs <base URL> <write key> <run id>
//
// Each SDK writes the customers `<sdk>-<run id>-anon` (before signing up) and `<sdk>-<run id>-user`, with
// sdk `segment` or `rudder`; tests/Waymark.Gateway.Tests/Sdk/OfficialSdkTests.cs reads them back.
// Exits non-zero when any call reports a delivery error, so the test can tell "not sent" from "not stored".
import { Analytics as SegmentAnalytics } from '@segment/analytics-node'
import RudderAnalytics from '@rudderstack/rudder-sdk-node'

const [baseUrl, writeKey, runId] = process.argv.slice(2)
if (!baseUrl || !writeKey || !runId) {
  console.error('usage: node send-events.mjs <base URL> <write key> <run id>')
  process.exit(2)
}

const failures = []
const outstanding = new Set()
const settled = []

// Both SDKs call a call's callback once it is delivered, or with an error once it finally is not (after
// their retries). Waiting for every callback, not just the flush, is what proves each call got its answer.
function callback(sdk, call) {
  const name = `${sdk} ${call}`
  outstanding.add(name)
  let settle
  settled.push(new Promise((resolve) => (settle = resolve)))
  return (error) => {
    outstanding.delete(name)
    if (error) {
      failures.push(name)
      console.error(`${name}: ${describe(error)}`)
    }
    settle()
  }
}

const describe = (error) =>
  error?.response // axios (RudderStack) keeps the answer, so the problem details can be shown
    ? `HTTP ${error.response.status} ${JSON.stringify(error.response.data)}`
    : String(error?.message ?? error)

/** The same story for either SDK: both take (message, callback) for every call. */
function tellStory(sdk, client) {
  const anonymousId = `${sdk}-${runId}-anon`
  const userId = `${sdk}-${runId}-user`
  const done = (call) => callback(sdk, call)
  client.track({ anonymousId, event: 'Product Viewed', properties: { sku: 'sku-1', price: 9.5 } }, done('track (anonymous)'))
  client.alias({ previousId: anonymousId, userId }, done('alias'))
  client.identify(
    { userId, traits: { name: `Ada ${sdk}`, email: `${sdk}-${runId}@example.com`, plan: 'pro' } },
    done('identify'),
  )
  client.track({ userId, event: 'Order Completed', properties: { orderId: `o-${sdk}`, amount: 120 } }, done('track'))
  client.page({ userId, category: 'Docs', name: 'Pricing', properties: { path: '/pricing' } }, done('page'))
  client.screen({ userId, name: 'Cart', properties: { items: 2 } }, done('screen'))
  client.group({ userId, groupId: `${sdk}-${runId}-group`, traits: { name: 'Acme', employees: 42 } }, done('group'))
}

// Segment (README): new Analytics({ writeKey }); `host` points it at Waymark. It sends JSON, not gzip.
// Fewer retries than its default 10 (with up to a minute between them), so a failure ends the run soon.
const segment = new SegmentAnalytics({ writeKey, host: baseUrl, maxRetries: 2 })
segment.on('http_response', (response) => {
  if (response.status >= 300) {
    console.error(`segment: HTTP ${response.status} from ${response.url}`)
  }
})
tellStory('segment', segment)
await segment.closeAndFlush({ timeout: 30_000 })

// RudderStack (README): new Analytics(writeKey, { dataPlaneUrl }); it gzips batches by default. With an
// errorHandler a failed flush is reported to the calls' callbacks (which print it) instead of rejecting
// the flush the SDK starts by itself on the first call, which nobody awaits.
const rudder = new RudderAnalytics(writeKey, {
  dataPlaneUrl: baseUrl,
  logLevel: 'error',
  errorHandler: () => {},
})
tellStory('rudder', rudder)
await rudder.flush()

const timeout = setTimeout(() => {
  console.error(`no answer within 30 s for: ${[...outstanding].join(', ')}`)
  process.exit(1)
}, 30_000)
await Promise.all(settled)
clearTimeout(timeout)
console.log(failures.length === 0 ? `all ${settled.length} calls delivered` : `failed: ${failures.join(', ')}`)
// Explicitly: idle keep-alive sockets of either HTTP client must not decide when the run ends.
process.exit(failures.length === 0 ? 0 : 1)
