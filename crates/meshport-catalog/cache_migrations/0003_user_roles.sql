-- The roles the profile's user holds on the platform (`GET /v1/me`), as last read: what the window
-- offers (the domains the user may own products in) while the platform cannot be reached.
CREATE TABLE user_roles (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    document TEXT NOT NULL CHECK (json_valid(document)),
    read_at TEXT NOT NULL
);
