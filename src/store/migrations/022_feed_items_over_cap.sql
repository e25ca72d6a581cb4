-- Entries the feed's last full response listed beyond poll.maxItemsPerPoll: left out (oldest first) and
-- shown on the feed's health, so a feed that lists far too much is visible rather than silently trimmed.
ALTER TABLE feeds ADD COLUMN items_over_cap integer NOT NULL DEFAULT 0;
