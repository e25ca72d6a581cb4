-- Alerts and webhook deliveries (issue 7). Article ids are kept as plain text, not foreign keys: a delivery
-- record outlives retention and must never block an article's deletion.

-- What each rule did with each event it matched: the ledger behind "one alert per story", throttles and digests.
CREATE TABLE alert_matches (
  rule_id text NOT NULL,
  -- article id, feed-health event id, or digest window key
  event_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('article', 'feed-health', 'digest')),
  article_id text,
  -- sent | updated (article.updated sent) | duplicate (suppressed) | throttled | digested (waiting for its digest)
  outcome text NOT NULL,
  -- for duplicates and updates: the article the story was first alerted on
  story_of text,
  -- MinHash signature of the title and lead, compared with later articles of the same rule
  fingerprint integer[],
  -- what a digest or an "also reported by" list shows of the article (id, url, title, feeds, labels)
  summary jsonb,
  digest_window timestamptz,
  matched_at timestamptz NOT NULL,
  PRIMARY KEY (rule_id, event_key)
);
CREATE INDEX alert_matches_rule_time ON alert_matches (rule_id, matched_at DESC);
CREATE INDEX alert_matches_digest ON alert_matches (rule_id, digest_window) WHERE digest_window IS NOT NULL;

-- One row per (endpoint, event): the id is derived from both, so re-evaluation and replay find the same row.
CREATE TABLE deliveries (
  id text PRIMARY KEY,
  endpoint_id text NOT NULL,
  rule_id text,
  event_type text NOT NULL,
  event_key text NOT NULL,
  article_id text,
  -- the exact JSON body (Standard Webhooks payload), fixed at creation so every retry sends the same bytes
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  last_status integer,
  last_error text,
  replays integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  delivered_at timestamptz
);
CREATE INDEX deliveries_created ON deliveries (created_at DESC, id DESC);
CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, created_at DESC);
CREATE INDEX deliveries_status ON deliveries (status, created_at DESC);

-- Every request sent (or refused before sending) for a delivery.
CREATE TABLE delivery_attempts (
  id bigserial PRIMARY KEY,
  delivery_id text NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  at timestamptz NOT NULL,
  -- the webhook-timestamp header of this attempt (seconds)
  webhook_timestamp bigint NOT NULL,
  status_code integer,
  latency_ms integer NOT NULL,
  -- first 1 KB of the response body
  response_excerpt text,
  error text,
  outcome text NOT NULL
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id);

-- Endpoint health as deliveries see it: disabled by a 410 or by failing for days; shared by every worker.
CREATE TABLE alert_endpoint_state (
  endpoint_id text PRIMARY KEY,
  disabled_at timestamptz,
  disabled_reason text,
  failing_since timestamptz,
  last_success_at timestamptz,
  last_failure_at timestamptz,
  updated_at timestamptz NOT NULL
);
