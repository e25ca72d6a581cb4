-- Polling state and health of each configured feed, keyed by the feed id from feeds.yaml. A feed removed
-- from the configuration keeps its row (its history) but is no longer polled or listed.
CREATE TABLE feeds (
  id                         text PRIMARY KEY,
  url                        text NOT NULL,
  -- Validators for conditional GET, as the server last sent them.
  etag                       text,
  last_modified              text,
  polls                      integer NOT NULL DEFAULT 0,
  polls_since_unconditional  integer NOT NULL DEFAULT 0,
  last_polled_at             timestamptz,
  last_success_at            timestamptz,
  last_http_status           integer,
  last_new_item_at           timestamptz,
  -- Smoothed time between polls that found new items (drives the adaptive interval and "quiet").
  rhythm_ms                  bigint,
  items_seen                 bigint NOT NULL DEFAULT 0,
  consecutive_failures       integer NOT NULL DEFAULT 0,
  failing_since              timestamptz,
  last_error_class           text,
  last_error_message         text,
  last_error_status          integer,
  last_error_at              timestamptz,
  health_state               text NOT NULL DEFAULT 'new',
  next_poll_at               timestamptz,
  updated_at                 timestamptz NOT NULL DEFAULT now()
);

-- feed.health events (failing / quiet / recovered) for the alert stage and the API.
CREATE TABLE feed_health_events (
  id          text PRIMARY KEY,
  feed_id     text NOT NULL,
  kind        text NOT NULL,
  from_state  text NOT NULL,
  to_state    text NOT NULL,
  at          timestamptz NOT NULL,
  message     text NOT NULL,
  error       jsonb
);
CREATE INDEX feed_health_events_feed_at ON feed_health_events (feed_id, at DESC);
