-- Labels on each article, what they were before a backtest or retrain changed them, and reviewers' verdicts.
CREATE TABLE article_labels (
  article_id         text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  label_id           text NOT NULL,
  score              double precision NOT NULL,
  groups             text[] NOT NULL DEFAULT '{}',
  evidence           jsonb NOT NULL DEFAULT '[]',
  features           text[],
  direction          text,
  direction_evidence jsonb,
  -- 'classifier' or 'reviewer' (a label a reviewer added).
  source             text NOT NULL,
  model_version      text,
  -- Latest verdict: 'unreviewed', 'confirmed' or 'rejected'.
  review_state       text NOT NULL DEFAULT 'unreviewed',
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, label_id),
  CHECK (source IN ('classifier', 'reviewer')),
  CHECK (review_state IN ('unreviewed', 'confirmed', 'rejected'))
);

CREATE INDEX article_labels_label_idx ON article_labels (label_id, score DESC);
CREATE INDEX article_labels_groups_idx ON article_labels USING gin (groups);
CREATE INDEX article_labels_review_idx ON article_labels (review_state, label_id);
CREATE INDEX article_labels_direction_idx ON article_labels (direction) WHERE direction IS NOT NULL;

CREATE TABLE classification_history (
  id                bigserial PRIMARY KEY,
  article_id        text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  -- The labels, relevance and versions as they were before the change.
  labels            jsonb NOT NULL,
  relevance         double precision,
  framework_version text,
  model_version     text,
  reason            text NOT NULL,
  replaced_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX classification_history_article_idx ON classification_history (article_id, replaced_at);

CREATE TABLE review_verdicts (
  id            bigserial PRIMARY KEY,
  article_id    text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  label_id      text NOT NULL,
  verdict       text NOT NULL,
  note          text,
  reviewer      text,
  -- The model that produced the label when it was judged (null for a label the reviewer added),
  -- so reviewer agreement can be measured per model version.
  model_version text,
  label_source  text,
  at            timestamptz NOT NULL DEFAULT now(),
  CHECK (verdict IN ('confirm', 'reject', 'add'))
);

CREATE INDEX review_verdicts_article_idx ON review_verdicts (article_id, label_id, at DESC);
CREATE INDEX review_verdicts_at_idx ON review_verdicts (at);
