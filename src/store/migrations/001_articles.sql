-- The reviewed record of each article and where it was seen.
CREATE TABLE articles (
  -- Opaque id derived from the canonical URL by the feeds stage.
  id                    text PRIMARY KEY,
  canonical_url         text NOT NULL,
  title                 text NOT NULL DEFAULT '',
  byline                text,
  published_at          timestamptz,
  first_seen_at         timestamptz NOT NULL,
  -- The time the API sorts and filters by: published time, clamped to first-seen (a date in the future
  -- is a feed's mistake). Set once on insert so keyset paging never sees an article move.
  sort_at               timestamptz NOT NULL,
  fetched_at            timestamptz,
  lang                  text,
  text                  text,
  html                  text,
  summary               text NOT NULL DEFAULT '',
  extraction_method     text,
  extraction_confidence double precision,
  extraction_flags      text[] NOT NULL DEFAULT '{}',
  fallback_reason       text,
  relevance             double precision,
  framework_version     text,
  model_version         text,
  needs_review          boolean NOT NULL DEFAULT false,
  trace                 jsonb NOT NULL DEFAULT '[]',
  -- Hash of the classifier's labels and scores: what the alert stage keys its jobs on.
  revision              text,
  text_dropped_at       timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  search                tsvector GENERATED ALWAYS AS (
                          setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
                          setweight(to_tsvector('english', coalesce(text, '')), 'B')
                        ) STORED
);

CREATE INDEX articles_sort_idx ON articles (sort_at DESC, id DESC);
CREATE INDEX articles_first_seen_idx ON articles (first_seen_at);
CREATE INDEX articles_lang_idx ON articles (lang);
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX articles_needs_review_idx ON articles (needs_review) WHERE needs_review;
CREATE INDEX articles_retention_idx ON articles (first_seen_at) WHERE text IS NOT NULL OR html IS NOT NULL;

CREATE TABLE article_sightings (
  article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  feed_id    text NOT NULL,
  feed_name  text NOT NULL,
  link       text,
  guid       text,
  seen_at    timestamptz NOT NULL,
  PRIMARY KEY (article_id, feed_id)
);

CREATE INDEX article_sightings_feed_idx ON article_sightings (feed_id, article_id);
CREATE INDEX article_sightings_feed_name_idx ON article_sightings (feed_name);
