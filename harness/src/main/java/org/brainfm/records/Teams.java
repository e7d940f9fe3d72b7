package org.brainfm.records;

import static org.brainfm.records.Sql.now;
import static org.brainfm.records.db.Tables.TEAM;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.brainfm.records.db.tables.records.TeamRecord;

/**
 * The teams of a challenge and their tokens. A token is made here, shown once to the organiser,
 * and kept only as its SHA-256: a leaked database does not let anyone upload as a team.
 */
public final class Teams {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Sql sql;

    Teams(Sql sql) {
        this.sql = sql;
    }

    /** A team just added, with its token (never stored, never shown again). */
    public record Added(TeamRow team, String token) {}

    /** Adds a team under a new random token; a name already taken is refused. */
    public Added add(String name) {
        Check.name("team name", name, 200);
        if (byName(name).isPresent()) {
            throw new IllegalArgumentException("there is a team called '" + name + "' already");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = "bfm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long id = sql.call(db -> db.insertInto(TEAM).set(TEAM.NAME, name).set(TEAM.TOKEN_SHA256, sha256(token))
                .set(TEAM.CREATED_AT, now()).returning(TEAM.ID).fetchOne(TEAM.ID));
        return new Added(get(id).orElseThrow(), token);
    }

    /** The team holding a token; empty for any other string (a hash lookup: nothing is compared in Java). */
    public Optional<TeamRow> byToken(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        String hash = sha256(token);
        return sql.call(db -> db.selectFrom(TEAM).where(TEAM.TOKEN_SHA256.eq(hash)).fetchOptional()).map(Teams::row);
    }

    public Optional<TeamRow> byName(String name) {
        return sql.call(db -> db.selectFrom(TEAM).where(TEAM.NAME.eq(name)).fetchOptional()).map(Teams::row);
    }

    public Optional<TeamRow> get(long id) {
        return sql.call(db -> db.selectFrom(TEAM).where(TEAM.ID.eq(id)).fetchOptional()).map(Teams::row);
    }

    public List<TeamRow> all() {
        return sql.call(db -> db.selectFrom(TEAM).orderBy(TEAM.ID).fetch(Teams::row));
    }

    private static TeamRow row(TeamRecord r) {
        return new TeamRow(r.getId(), r.getName(), r.getCreatedAt());
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
