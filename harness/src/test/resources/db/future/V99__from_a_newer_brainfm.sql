-- A migration that only a newer brainfm would have: the newer-schema test applies it by hand.
CREATE TABLE leaderboard_phase (
    id   VARCHAR(100) NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL
);
