-- What the sync brought that the user should hear of: a new (or reopened) incident in their domains,
-- a decision on their access request, a request on their domains' ports. Written by the feed pages a
-- sync applies after the first one (a first sync tells of nothing); each once (`UNIQUE`); `notified`
-- once the desktop told of it, `seen` once the user opened its view.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    state TEXT NOT NULL,
    view TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    at TEXT NOT NULL,
    notified INTEGER NOT NULL DEFAULT 0,
    seen INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, entity_id, state)
);
CREATE INDEX notices_unseen ON notices (view) WHERE seen = 0;
