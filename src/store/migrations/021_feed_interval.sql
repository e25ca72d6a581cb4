-- The configured interval a feed's next poll was planned with: when feeds.yaml changes it, the feed is
-- due at once instead of waiting out a plan made for the old interval.
ALTER TABLE feeds ADD COLUMN interval_ms bigint;
-- The feed's own polling hint (RSS <ttl>, sy:updatePeriod) from the last full response; a 304 carries no
-- body, so the hint is remembered for the polls answered 304.
ALTER TABLE feeds ADD COLUMN publisher_hint_ms bigint;
